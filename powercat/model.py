"""The one vocabulary every stage speaks: Source, Power, Step, Agency, Catalogue.

Plain dataclasses, no I/O. Field names are the canonical names of the alias table in
`ingest/columns.py`; Chinese headers map onto them there and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .disclosure import PUBLIC_STATUSES, classify


class Category(str, Enum):
    """The standard categories of 权力清单 items (GB/T 39046 A.1 codes in `code`)."""

    LICENSING = "行政许可"
    PENALTY = "行政处罚"
    COERCION = "行政强制"
    LEVY = "行政征收"
    BENEFIT = "行政给付"
    INSPECTION = "行政检查"
    CONFIRMATION = "行政确认"
    REWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
    OTHER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"

    @property
    def code(self) -> str:
        return _GB_CODES[self]


_GB_CODES = {
    Category.LICENSING: "01", Category.PENALTY: "02", Category.COERCION: "03", Category.LEVY: "04",
    Category.BENEFIT: "05", Category.INSPECTION: "06", Category.CONFIRMATION: "07", Category.REWARD: "08",
    Category.ADJUDICATION: "09", Category.OTHER: "10", Category.PUBLIC_SERVICE: "20",
}

UNCATEGORISED = "未分类"


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """Where a record stands: the file as given, the sheet, the 1-based Excel row."""

    file: str
    sheet: str
    row: int


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Something the reader could not take at face value, for `check` to report at its cell:
    a formula Excel never computed, a 公开方式 forced to 不予公开 …"""

    code: str  # a rule code of check/findings.py
    row: int  # 1-based Excel row
    column: str | None  # Excel column letter
    field: str | None
    detail: str = ""
    sheet: str | None = None  # when not the power's own sheet (a 运行流程 row)


@dataclass(slots=True)
class Step:
    """One step of a power's procedure, from the 运行流程 sheet."""

    source: Source
    code: str | None
    step_id: str
    name: str
    kind: str | None = None  # 开始 / 办理 / 判断 / 结束
    post: str | None = None
    limit: str | None = None
    next: str | None = None  # "3" · "3,4" · "是:4；否:9"
    control: str | None = None
    disclosure: str | None = None
    # the power's 职权名称 / 子项名称 on the step's row: links a step to a power listed without
    # a 职权编码 (most published lists have none)
    power_name: str | None = None
    power_sub_name: str | None = None
    # field → Excel column letter in the 运行流程 sheet (shared by the sheet's steps)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)  # a province holds 100,000 at once: no per-instance __dict__ (~800 bytes)
class Power:
    """One item of a power list: one distinct (事项名称, 子项名称) block."""

    source: Source
    name: str
    category: str  # a Category value where recognised, else the cleaned raw text
    sub_name: str | None = None
    category_raw: str | None = None
    code: str | None = None
    agency: str | None = None
    office: str | None = None
    level: str | None = None
    authority: str | None = None  # 权限: what it may do at that level
    basis: str | None = None
    statutory_limit: str | None = None
    promised_limit: str | None = None
    fee: str | None = None
    disclosure: str | None = None
    disclosure_scope: str | None = None
    disclosure_time: str | None = None
    exemption: str | None = None
    conditions: str | None = None
    rights: str | None = None
    complaint: str | None = None
    duty: str | None = None
    # the 办理流程/运行流程 column: the procedure in the list's own words (process/stages.py reads it)
    procedure: str | None = None
    duty_basis: str | None = None
    accountability_scope: str | None = None
    accountability: str | None = None
    department_duty: str | None = None
    remark: str | None = None
    # 办事指南 (service guide) fields: what a citizen must bring, where, when, whom to ask
    materials: str | None = None
    place: str | None = None
    hours: str | None = None
    enquiry_phone: str | None = None
    # field → Excel column letter, so a finding can point at the cell
    columns: dict[str, str] = field(default_factory=dict)
    # the rows the item's block covers (first, last), 1-based
    last_row: int = 0
    steps: list[Step] = field(default_factory=list)
    # 主动公开 / 依申请公开 / 不予公开, as the reader settled it for the whole block (all its
    # rows, its parent 事项, its sheet); None: decided from `disclosure` and `exemption` alone
    disclosure_status: str | None = None
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.name}（{self.sub_name}）" if self.sub_name else self.name

    @property
    def status(self) -> str:
        if self.disclosure_status is not None:
            return self.disclosure_status
        return classify(self.disclosure, self.exemption).status

    @property
    def is_withheld(self) -> bool:
        """Fails closed: anything but a recognised public status is withheld."""
        return self.status not in PUBLIC_STATUSES


@dataclass
class Agency:
    """The agency a workbook belongs to, from its 单位信息 sheet, title or file name."""

    name: str | None
    credit_code: str | None = None
    region: str | None = None
    version: str | None = None
    published: str | None = None
    phone: str | None = None
    edition: str | None = None  # the version its title or file name gives (2024年, 2023年版), when no 清单版本


@dataclass
class SheetReport:
    name: str
    header_row: int | None  # 1-based, None when no header was found
    items: int
    kind: str = "powers"  # powers / steps / agency / none (skipped)
    reason: str | None = None  # why a sheet was skipped, in Chinese


@dataclass
class FileError:
    code: str  # stable kebab-case
    message: str  # Chinese, names the file and the problem


@dataclass
class WorkbookFile:
    """What one input file gave: its sheets, its powers, or why it could not be read."""

    path: str
    format: str | None
    agency: Agency = field(default_factory=lambda: Agency(None))
    sheets: list[SheetReport] = field(default_factory=list)
    powers: list[Power] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    error: FileError | None = None


@dataclass
class Catalogue:
    files: list[WorkbookFile] = field(default_factory=list)

    @property
    def powers(self) -> list[Power]:
        return [power for f in self.files for power in f.powers]

    @property
    def unreadable(self) -> list[WorkbookFile]:
        return [f for f in self.files if f.error is not None]
