"""The command line: parse options, call the library, print. No logic lives here."""

from __future__ import annotations

import sys as _sys

if _sys.argv and _sys.argv[0].replace("\\", "/").endswith(("/powercat", "powercat/__main__.py")):
    from .interrupt import guard_startup  # Ctrl-C while the modules below load: no traceback

    guard_startup()

import contextlib
import errno
import gc
import json
import os
import re
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__

if TYPE_CHECKING:
    from rich.console import Console
from .errors import (EXIT_FINDINGS, EXIT_INTERNAL, EXIT_MISSING_COMPONENT, EXIT_OK, EXIT_OUTPUT,  # noqa: F401
                     EXIT_UNREADABLE, EXIT_USAGE, PowercatError)
from .ingest import load
from .report import listing


app = typer.Typer(
    name="powercat",
    help="权力清单工具：读取各单位的权责清单，审查依据与时限，生成运行流程图和公开目录。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def escape(text: str) -> str:
    """rich.markup.escape, imported when a message is printed: rich takes a tenth of a second
    to import, and `list --json` prints nothing through it."""
    from rich.markup import escape as escape_markup

    return escape_markup(text)


def _console(stderr: bool = False, kept: bool = True) -> Console:
    # Created per call, never at import, so tests and pipes get their own width and colour.
    from rich.console import Console

    if stderr and kept and _stderr_kept is not None:
        # with --json, what is said on stderr is also the message of the error object (see
        # run()): kept, and not folded at the terminal's width
        return Console(file=_KeptStderr(sys.stderr), highlight=False, soft_wrap=True)
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _settle(_catalogue) -> None:
    """The loaded catalogue lives until the command ends: move it out of the cyclic
    collector's sight so building the output does not rescan millions of objects."""
    gc.freeze()


@contextlib.contextmanager
def _user_errors():
    """Turns what went wrong writing outputs (any PowercatError) into its Chinese message and
    exit code; the previous outputs are intact by then (see powercat/output.py)."""
    from .output import OutputError, release_open_archives
    from .render.batch import RenderError

    try:
        yield
    except RenderError as exc:
        _console(stderr=True).print(f"[red]Graphviz（dot）绘图失败，未生成输出，原有输出保持不变：{escape(str(exc)[:500])}[/red]")
        raise typer.Exit(exc.exit_code) from None
    except PowercatError as exc:
        if isinstance(exc, OutputError):
            release_open_archives()  # a workbook save cut short must not print a traceback at exit
        _console(stderr=True).print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        from .output import os_error_message

        release_open_archives()
        _console(stderr=True).print(f"[red]{escape(os_error_message(exc, exc.filename or '输出位置'))}；原有输出保持不变[/red]")
        raise typer.Exit(EXIT_OUTPUT) from None


@contextlib.contextmanager
def _cache_named_when_disk_full(out: str, cache: bool):
    """A disk-full (or quota) failure with a rebuild cache beside OUT names it: the cache is a
    second copy of the made files on the same disk, so a cached build can run out of room
    where --no-cache finishes, and a failed run's entries stay (filecache.py keeps them)."""
    from .errors import PowercatError
    from .filecache import beside

    try:
        yield
    except PowercatError as exc:
        folder = beside(out)
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) and folder.is_dir() and not folder.is_symlink():
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
            exc.message += (f"；输出文件夹旁的重建缓存 {folder}（{size / 2**20:.1f} MB）与输出在同一磁盘，"
                            f"可删除该缓存文件夹后加 --no-cache 重新构建")
        raise


@contextlib.contextmanager
def _no_input_said():
    """Inputs that give no power never replace existing outputs: the unreadable ones are
    named before the message (NoInput, an OutputError, is said by _user_errors)."""
    from .pipeline.commands import NoInput

    try:
        yield
    except NoInput as exc:
        for f in exc.catalogue.unreadable:
            _console(stderr=True).print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise


# Set by a command whose process holds nothing to clean up but what it read (`list`): run()
# then ends the process once the output is flushed, without the interpreter freeing every
# record one by one (0.2 s of CPU after a 100,000-row `list --json` has written its last byte).
_exit_at_once = False


def _write_json(data) -> None:
    """JSON is UTF-8 whatever the locale (RFC 8259), so a GBK terminal or pipe never breaks it.
    One line, no indent: json's C encoder only runs without indent (3× faster on big lists)."""
    _write_json_text(json.dumps(data, ensure_ascii=False))


# Whether a command wrote its JSON to stdout, and (with --json) what was said on stderr: a
# command that ends in an error without its JSON still gives one, {"error": …} (see run()).
_json_written = False
_stderr_kept: list[str] | None = None


class _KeptStderr:
    """stderr as before, keeping what powercat says there for the error object of a --json run
    (not what a progress bar draws)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        _stderr_kept.append(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _json_error_if_silent(code: int) -> None:
    """A --json run that ends in an error (exit 2 and above) without having written its JSON
    writes {"error": {"exit_code", "message"}}: a script reading stdout always gets a document."""
    if _stderr_kept is None or _json_written or code in (0, 1):
        return
    text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(_stderr_kept)).strip()
    with contextlib.suppress(OSError, ValueError):
        _write_json({"error": {"exit_code": code, "message": text}})


def _write_json_text(text: str) -> None:
    global _json_written
    _json_written = True
    text += "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()


def _write_json_parts(parts) -> None:
    """JSON already encoded as _write_json_text would write it (UTF-8, surrogateescape), in parts."""
    global _json_written
    _json_written = True
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(b"".join(parts).decode("utf-8", "surrogateescape"))
    else:
        sys.stdout.flush()
        for part in parts:
            buffer.write(part)
        buffer.flush()


def _version(value: bool) -> None:
    if value:
        print(f"powercat {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """权力清单工具。"""


ExecutorOption = Annotated[str, typer.Option(
    "--executor", help="在哪里运行：local（本机，默认）或 dask://主机:端口（已有的 Dask 集群；输入和输出须在各节点共享的文件系统上）")]
Paths = Annotated[list[str], typer.Argument(help="工作簿文件或文件夹（递归查找 .xlsx .xlsm .xls .csv）", show_default=False)]


@app.command("list")
def list_command(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
    files_only: Annotated[bool, typer.Option("--files", help="只列出文件汇总，不列出事项")] = False,
) -> None:
    """读取权责清单，列出每个文件找到的事项（文件、工作表、行号）。"""
    global _exit_at_once
    _exit_at_once = True
    catalogue = load(paths, fields=listing.READ_FIELDS)
    _settle(catalogue)
    if as_json:
        # one line, no indent: json's C encoder only runs without indent (3× faster on big lists)
        _write_json_parts(listing.catalogue_json_parts(catalogue))
    else:
        listing.render(_console(), catalogue, show_powers=not files_only)
    if catalogue.unreadable:
        err = _console(stderr=True)
        for f in catalogue.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)
    if not catalogue.files:
        _console(stderr=True).print("[yellow]没有找到工作簿（.xlsx .xlsm .xls .csv）[/yellow]")
        raise typer.Exit(EXIT_UNREADABLE)


@app.command("template")
def template_command(
    paths: Annotated[list[str] | None, typer.Argument(
        help="输出的 .xlsx 文件；与 --from 同用时为更多的清单文件或文件夹", show_default=False)] = None,
    sources: Annotated[list[str] | None, typer.Option(
        "--from", help="从已有清单预填：每个单位一个标准模板（可重复，也可在其后列出更多清单）", show_default=False)] = None,
    out_dir: Annotated[str | None, typer.Option("--out", help="预填模板的输出文件夹（与 --from 同用）", show_default=False)] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="实施主体名称（覆盖从清单读出的名称）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的、未填写的 powercat 空白模板（已填写的清单不会被覆盖）")] = False,
) -> None:
    """生成空白的标准模板（职权目录、运行流程、单位信息、运行记录）。

    用 --from 清单 --out 文件夹 时，为每个单位生成预填的模板：职权目录按清单原样填入（含不予公开事项），
    运行流程表填入每个事项现在流程图所画的环节供修改，办事指南各列（申请条件、申请材料、办理地点、办理时间、
    咨询电话、收费）有则填入。预填模板是单位内部的工作底稿，不属于公开成果，请勿上传或对外发布；
    填好后用它替换原清单交给 build（输出文件夹本身不会被当作清单读入），流程图注明“单位填报的运行流程”。"""
    if sources or out_dir:
        _template_from([*(sources or []), *(paths or [])], out_dir, agency)
        return
    if not paths or len(paths) != 1:
        _console(stderr=True).print("[red]请给出一个输出的 .xlsx 文件名；从已有清单预填请用 --from 清单 --out 文件夹[/red]")
        raise typer.Exit(EXIT_USAGE)
    out = paths[0]
    from .output import check_file_target, output_file

    def blank(path) -> bool:  # asked only when the target exists: openpyxl is slow to import
        from .ingest.template import is_untouched_template

        return is_untouched_template(path)

    with _user_errors():
        check_file_target(out, force=force, kind="template", blank=blank)  # refused before openpyxl is imported
        from .ingest.template import write_workbook  # openpyxl is slow to import; only here

        with output_file(out, force=force, kind="template", blank=blank) as staged:
            write_workbook(staged)
    _console(stderr=True).print(f"已生成标准模板：{escape(out)}")


def _template_from(paths: list[str], out: str | None, agency: str | None) -> None:
    """`template --from`: one pre-filled workbook per agency, into a folder of its own kind."""
    from .ingest.agency import settle_agencies
    from .output import check_folder_target, output_folder, refuse_inside_outputs

    err = _console(stderr=True)
    if not paths or not out:
        err.print("[red]预填模板需要 --from 清单 和 --out 输出文件夹[/red]")
        raise typer.Exit(EXIT_USAGE)
    from .pipeline.commands import NoInput

    with _user_errors(), _no_input_said():
        check_folder_target(out, inputs=paths, kind="templates")  # refused before any list is read
        refuse_inside_outputs(out, "预填模板是单位内部的工作底稿，")
        catalogue = load(paths)
        _settle(catalogue)
        settle_agencies(catalogue, agency)
        if not catalogue.powers:  # inputs that give no power never replace existing outputs
            raise NoInput(catalogue, out)
        from .prefill import prefill

        with output_folder(out, inputs=[*paths, *(f.path for f in catalogue.files)], kind="templates") as staged:
            made = prefill(catalogue, staged)
    for one in made:
        drawn = "，".join(f"{_SOURCE_ZH.get(k, k)} {v}" for k, v in sorted(one.sources.items()))
        extra = f"，其中不予公开 {one.withheld} 项" if one.withheld else ""
        twice = f"；重复列出的 {one.duplicates} 项只写一次" if one.duplicates else ""
        err.print(f"{escape(one.agency)}：{one.powers} 个事项{extra}，运行流程 {one.steps} 行（{escape(drawn)}）{twice}")
    err.print(f"已生成 {len(made)} 个预填模板（内部工作底稿，请勿公开）：{escape(out)}")
    if catalogue.unreadable:
        for f in catalogue.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)


_SOURCE_ZH = {"steps": "单位运行流程", "duty": "责任事项阶段", "law": "依所引法律的法定程序", "template": "类别通用流程"}


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def _load_texts(path: str | None):
    if not path:
        return None
    from .law.registry import ArticleTexts

    try:
        return ArticleTexts.load(path)
    except (OSError, ValueError, KeyError) as exc:
        _console(stderr=True).print(f"[red]无法读取条文文件 {escape(path)}：{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_USAGE) from None


def _use_laws(paths: list[str] | None) -> None:
    """Lays the --laws supplements over the bundled registry (exit 2 on a bad file)."""
    if not paths:
        return
    from .law.registry import use_supplements
    from .law.supplement import SupplementError

    try:
        use_supplements(paths)
    except SupplementError as exc:
        _console(stderr=True).print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_USAGE) from None


def _as_of_option(as_of: str | None, default_today: bool = True):
    """--as-of read once for every command: YYYY-MM-DD inside the working-day calendar's range,
    else a usage error (exit 2) before any work."""
    import datetime as dt

    from .workdays import in_range, supported_range_zh

    if not as_of:
        return dt.date.today() if default_today else None
    try:
        day = dt.date.fromisoformat(as_of.strip())
    except ValueError:
        _console(stderr=True).print(f"[red]--as-of 应为 YYYY-MM-DD，收到 {escape(as_of)}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    if not in_range(day):
        _console(stderr=True).print(f"[red]--as-of {day.isoformat()} 超出工作日历支持的范围（{supported_range_zh()}）[/red]")
        raise typer.Exit(EXIT_USAGE)
    return day


@app.command("check")
def check_command(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
    annotate: Annotated[str | None, typer.Option("--annotate", help="在此文件夹写出每个文件的审查意见副本（.审查意见.xlsx）")] = None,
    law_texts: Annotated[str | None, typer.Option("--law-texts", help="条文文本文件（articles.jsonl.gz 格式），用于核对引用的条文内容")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="审查基准日 YYYY-MM-DD（默认今天）")] = None,
    select: Annotated[str | None, typer.Option("--select", help="只检查这些规则（逗号分隔；以 - 结尾表示前缀，如 basis-）")] = None,
    ignore: Annotated[str | None, typer.Option("--ignore", help="不检查这些规则（逗号分隔）")] = None,
    limit: Annotated[int, typer.Option("--limit", help="终端每个级别（错误、警告、无法核验、提示）最多显示的明细行数（0 为不限）")] = 40,
    laws: Annotated[list[str] | None, typer.Option("--laws", help="补充法规（JSONL、JSON、文本文件或文件夹，可重复；格式见 data/laws/README.md）")] = None,
    executor_spec: ExecutorOption = "local",
) -> None:
    """审查权责清单：法定依据、设定权、时限和清单要素，逐条标明文件、工作表、行和列。"""

    from .check import run as run_checks
    from .report import findings_view
    from .check import finding_codes

    day = _as_of_option(as_of)
    codes = finding_codes()
    unknown = [c for c in (_codes(select) or []) + (_codes(ignore) or []) if c.rstrip("-*") not in codes
               and not any(code.startswith(c.rstrip("*")) for code in codes)]
    if unknown:
        _console(stderr=True).print(f"[red]未知的规则：{escape('、'.join(unknown))}[/red]（见 docs/rules.md）")
        raise typer.Exit(EXIT_USAGE)
    texts = _load_texts(law_texts)
    _use_laws(laws)
    from .engine import executor as open_executor

    with _user_errors(), open_executor(executor_spec) as pool:
        catalogue = load(paths, pool)
        _settle(catalogue)
        report = run_checks(catalogue, as_of=day, law_texts=texts, select=_codes(select), ignore=_codes(ignore),
                            executor=pool)
    if annotate is not None:
        from pathlib import Path

        from .law.registry import default_registry
        from .output import output_folder
        from .report.annotate import annotated_names, summary_lines, write_annotated

        err = _console(stderr=True)
        names = annotated_names([f.path for f in catalogue.files])
        summary = summary_lines(day.isoformat(), default_registry().coverage.lines())
        readable = [f for f in catalogue.files if f.error is None]
        if not annotate.strip():
            err.print("[red]--annotate 的文件夹名为空，未写出审查意见副本；请给出一个文件夹[/red]")
            raise typer.Exit(EXIT_USAGE)
        if not readable:  # nothing to annotate: earlier copies stay as they were
            err.print(f"没有可读取的清单，未写出审查意见副本；{escape(annotate)} 保持不变")
        else:
            with _user_errors(), output_folder(annotate, inputs=[*paths, *(f.path for f in catalogue.files)],
                                               kind="annotate") as staged:  # checked, locked, swapped whole
                for f in readable:
                    write_annotated(f, [x for x in report.findings if x.file == f.path], staged,
                                    name=names[f.path], summary=summary)
            for f in readable:
                err.print(f"审查意见副本：{escape(str(Path(annotate) / names[f.path]))}")
    if as_json:
        _write_json(findings_view.report_json(catalogue, report, day.isoformat()))
    else:
        findings_view.render(_console(), catalogue, report, limit=limit or None, as_of=day.isoformat())
    if catalogue.unreadable or not catalogue.files:
        err = _console(stderr=True)
        for f in catalogue.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)
    if report.count("error"):
        raise typer.Exit(EXIT_FINDINGS)


@app.command("law")
def law_command(
    query: Annotated[str, typer.Argument(help="法律法规名称及条款，如 “行政许可法第四十二条”", show_default=False)],
    law_texts: Annotated[str | None, typer.Option("--law-texts", help="条文文本文件（articles.jsonl.gz 格式）")] = None,
) -> None:
    """查询法规库：名称、位阶、版本、效力状态和条款。"""
    from .report.law_view import render_law

    texts = _load_texts(law_texts)
    found = render_law(_console(), query, texts)
    if not found:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("flowchart")
def flowchart_command(
    paths: Paths,
    out: Annotated[str, typer.Option("--out", help="输出文件夹")],
    formats: Annotated[str, typer.Option("--format", help="输出格式，逗号分隔：svg,pdf,png")] = "svg,pdf",
    booklet: Annotated[bool, typer.Option("--booklet/--no-booklet", help="每个单位生成一本带目录和书签的 PDF")] = True,
    jobs: Annotated[int, typer.Option("--jobs", help="并行的 dot 进程数")] = max(1, min(4, os.cpu_count() or 1)),
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出清单到标准输出")] = False,
    include_withheld: Annotated[bool, typer.Option("--include-withheld", help="同时绘制不予公开的事项（写入单独的内部文件夹）")] = False,
    executor_spec: ExecutorOption = "local",
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="重复绘制到同一输出文件夹时，沿用上次已生成且输入未变的流程图和汇编（缓存在输出文件夹旁的 .文件夹名.powercat-cache）；--no-cache 全部重新绘制")] = True,
) -> None:
    """为每个公开事项绘制行政权力运行流程图（SVG/PDF/PNG），并按单位汇编成册。"""
    from .pipeline import commands
    from .pipeline.progress import ChartBar
    from .render.batch import FORMATS
    from .render.pdfmeta import epoch_problem

    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not chosen or any(f not in FORMATS for f in chosen):
        _console(stderr=True).print(f"[red]--format 只能是 {','.join(FORMATS)} 的组合，收到 {escape(formats)}[/red]")
        raise typer.Exit(EXIT_USAGE)
    err = _console(stderr=True)
    if epoch_problem():  # before any work, as build: the PDFs are stamped with it
        err.print(f"[red]{escape(epoch_problem())}[/red]")
        raise typer.Exit(EXIT_USAGE)
    _require_renderer_or_exit(booklet)
    from .engine import executor as open_executor

    with _user_errors(), _cache_named_when_disk_full(out, cache), _no_input_said(), \
            open_executor(executor_spec) as pool, ChartBar(err, disable=as_json and not err.is_terminal) as bar:
        drawn = commands.flowchart(paths, out, chosen, booklet=booklet, include_withheld=include_withheld,
                                   workers=jobs, executor=pool, progress=bar.charts, cache=cache)
    charts, booklets = drawn.charts, drawn.booklets
    if as_json:
        manifest = {"charts": [
            {"power": c.power.title, "code": c.power.code, "agency": c.agency, "file": c.power.source.file,
             "sheet": c.power.source.sheet, "row": c.power.source.row, "source": c.source,
             "withheld": c.withheld, "outputs": c.outputs} for c in charts],
            "booklets": booklets}
        _write_json(manifest)
    else:
        err.print(f"已绘制 {len(charts)} 张流程图，{len(booklets)} 本汇编：{escape(out)}")
    if drawn.catalogue.unreadable:
        for f in drawn.catalogue.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)


def _require_renderer_or_exit(booklet: bool = True) -> None:
    from .render.system import MissingComponent, require_renderer

    try:
        require_renderer(booklet)
    except MissingComponent as missing:
        _console(stderr=True).print(f"[red]{escape(missing.message)}[/red]\n请先安装：[bold]{escape(missing.install)}[/bold]")
        raise typer.Exit(EXIT_MISSING_COMPONENT) from None


@app.command("catalogue")
def catalogue_command(
    paths: Paths,
    out: Annotated[str, typer.Option("--out", help="输出文件夹")],
    formats: Annotated[str, typer.Option("--format", help="输出格式，逗号分隔：xlsx,csv,json,sqlite,html")] = "xlsx,csv,json,sqlite,html",
    agency: Annotated[str | None, typer.Option("--agency", help="实施主体名称（覆盖从清单读出的名称）")] = None,
    guide_pdf: Annotated[bool, typer.Option("--guide-pdf/--no-guide-pdf", help="办事指南另存 PDF（需 Chromium，较慢）")] = False,
    per_power_pdf: Annotated[bool, typer.Option("--per-power-pdf/--no-per-power-pdf", help="网站中每个事项的流程图另存单独的 PDF（每份约 160 KB；默认只有 SVG，可在网页上打印）")] = False,
) -> None:
    """发布公开目录：xlsx（可打印）、CSV（中文表头，UTF-8 BOM）、JSON 与数据包、SQLite 数据库（可用 Datasette 浏览）、可离线检索的静态网站与办事指南。不予公开的事项不会出现。"""
    from .pipeline import commands
    from .publish.catalogue import FORMATS
    from .publish.guide import NoBrowser

    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not chosen or any(f not in FORMATS for f in chosen):
        _console(stderr=True).print(f"[red]--format 只能是 {','.join(FORMATS)} 的组合[/red]")
        raise typer.Exit(EXIT_USAGE)
    if "html" in chosen:
        _require_renderer_or_exit(booklet=False)
    err = _console(stderr=True)
    try:
        with _user_errors(), _no_input_said():
            published = commands.catalogue(paths, out, chosen, agency=agency, guide_pdf=guide_pdf,
                                               per_power_pdf=per_power_pdf)
    except NoBrowser as missing:
        err.print(f"[red]{escape(str(missing))}[/red]")
        raise typer.Exit(EXIT_MISSING_COMPONENT) from None
    err.print(f"已发布 {len(published.records)} 个公开事项（{escape('、'.join(chosen))}）：{escape(out)}")
    if published.catalogue.unreadable:
        for f in published.catalogue.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)


@app.command("build")
def build_command(
    paths: Annotated[list[str] | None, typer.Argument(help="工作簿文件或文件夹（默认 data/）", show_default=False)] = None,
    out: Annotated[str, typer.Option("--out", help="输出文件夹")] = "exports",
    strict: Annotated[bool, typer.Option("--strict", help="存在错误时不发布任何内容")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="审查基准日 YYYY-MM-DD（默认今天）")] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="并行的 dot 进程数")] = max(1, min(4, os.cpu_count() or 1)),
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出构建摘要（含各阶段用时）")] = False,
    booklet: Annotated[bool, typer.Option("--booklet/--no-booklet", help="每个单位生成流程图汇编 PDF（事项很多时较慢、较大）")] = True,
    laws: Annotated[list[str] | None, typer.Option("--laws", help="补充法规（JSONL、JSON、文本文件或文件夹，可重复；格式见 data/laws/README.md）")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="实施主体名称（覆盖从清单读出的名称）")] = None,
    registers: Annotated[list[str] | None, typer.Option("--registers", help="办件登记（运行记录）文件或文件夹，可重复；默认读取清单文件夹中的 办件登记/")] = None,
    guide_pdf: Annotated[bool, typer.Option("--guide-pdf/--no-guide-pdf", help="公开事项的办事指南另存 PDF，并按单位生成办事指南汇编（需 Chromium，较慢）")] = False,
    per_power_pdf: Annotated[bool, typer.Option("--per-power-pdf/--no-per-power-pdf", help="每个事项的流程图另存单独的 PDF（每份约 160 KB，公开文件夹约大两倍；默认只出汇编 PDF，单项可在网页上打印）")] = False,
    executor_spec: ExecutorOption = "local",
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="重复构建到同一输出文件夹时，沿用上次已生成且输入未变的流程图、汇编、审查结果、批注副本、公开目录文件和网站页面（缓存在输出文件夹旁的 .文件夹名.powercat-cache，不会公开）；--no-cache 全部重新生成")] = True,
) -> None:
    """一条命令生成全部成果：审查报告与审查意见副本、流程图与汇编、公开目录、网站、内部备案登记表。"""

    from .pipeline.commands import STAGES, build
    from .pipeline.progress import StageBars
    from .render.pdfmeta import epoch_problem

    day = _as_of_option(as_of, default_today=False)
    if epoch_problem():  # before any work: the PDFs are stamped with it at the very end
        _console(stderr=True).print(f"[red]{escape(epoch_problem())}[/red]")
        raise typer.Exit(EXIT_USAGE)
    _require_renderer_or_exit(booklet)
    if guide_pdf:  # before any work, as for Graphviz
        from .publish.guide import NoBrowser, chromium

        if chromium() is None:
            _console(stderr=True).print(f"[red]{escape(str(NoBrowser()))}[/red]")
            raise typer.Exit(EXIT_MISSING_COMPONENT)
    _use_laws(laws)  # the review stage's checks read default_registry()
    err = _console(stderr=True)
    with StageBars(_console(stderr=True, kept=False), len(STAGES)) as bars:  # a bar is not a message
        from .engine import executor as open_executor

        with _user_errors(), _cache_named_when_disk_full(out, cache), open_executor(executor_spec) as pool, \
                _no_input_said():
            result = build(paths or ["data"], out, strict=strict, as_of=day, workers=jobs, stage=bars.stage,
                           progress=bars.charts, booklet=booklet, executor=pool, agency=agency,
                           registers=registers, guide_pdf=guide_pdf, per_power_pdf=per_power_pdf, cache=cache,
                           notice=lambda text: err.print(f"[yellow]{escape(text)}[/yellow]"))
        bars.finish()
    report = result.report
    errors = report.count("error")
    if as_json:
        summary = {"published": result.published, "out": str(result.out), "seconds": result.seconds,
                   "counts": result.counts, "errors": errors, "warnings": report.count("warning"),
                   "unreadable": [f.path for f in result.catalogue.unreadable]}
        _write_json(summary)
    if not result.published:
        err.print(f"[red]审查发现 {errors} 个错误，--strict 模式下未发布任何内容；原有输出保持不变。[/red]"
                  "请用 powercat check 查看问题。")
    else:
        c = result.counts
        err.print(f"已生成：{escape(str(result.out))}（{c['public']} 个公开事项，{c['withheld']} 个不予公开事项备案，"
                  f"{c['charts']} 张流程图；审查：错误 {errors}，警告 {report.count('warning')}）")
        err.print("用时：" + "，".join(f"{k} {v:.1f}s" for k, v in result.seconds.items()))
    for f in result.catalogue.unreadable:
        err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
    if result.catalogue.unreadable or not result.catalogue.files:
        raise typer.Exit(EXIT_UNREADABLE)
    if errors:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="调整前的清单（文件或文件夹）", show_default=False)],
    new: Annotated[str, typer.Argument(help="调整后的清单（文件或文件夹）", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
    out: Annotated[str | None, typer.Option("--out", help="写出可公开的调整对照表（.xlsx，不含不予公开事项）")] = None,
    internal_out: Annotated[str | None, typer.Option("--internal-out", help="另写一份含不予公开事项的内部对照表（.xlsx，不得公开）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖不是 powercat 写出的同名文件（输入文件永远不会被覆盖）")] = False,
) -> None:
    """比较两个版本的权责清单：新增、取消、更名和内容变更的事项，逐项列出变更前后。"""
    from rich.table import Table

    from .compare import diff, diff_json, unusable_side
    from .output import check_file_target, output_file, same_place

    err = _console(stderr=True)
    targets = [(target, internal) for target, internal in ((out, False), (internal_out, True)) if target is not None]
    with _user_errors():  # refused before anything is read
        if same_place(old, new):
            err.print(f"[red]调整前与调整后是同一份清单（{escape(old)}）：没有可比较的内容，未写出任何对照表；"
                      "请给出两个版本[/red]")
            raise typer.Exit(EXIT_USAGE)
        if out and internal_out and same_place(out, internal_out):
            err.print(f"[red]--out 与 --internal-out 指向同一个文件（{escape(out)}）：内部对照表（含不予公开事项）"
                      "会替换可公开的对照表。未写出任何内容；请给出两个不同的文件[/red]")
            raise typer.Exit(EXIT_USAGE)
        for target, _internal in targets:
            check_file_target(target, inputs=[old, new], force=force, kind="adjustments")  # or last run's table
    before, after = load([old]), load([new])
    for label, given, side in (("调整前", old, before), ("调整后", new, after)):
        why = unusable_side(side)
        if why:  # else every power of the other side would be reported 取消 or 新增
            for f in side.unreadable:
                err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
            err.print(f"[red]{label}的清单 {escape(given)} {escape(why)}：未作比较，未写出任何对照表[/red]")
            raise typer.Exit(EXIT_UNREADABLE)
    result = diff(before, after)
    unreadable = [*before.unreadable, *after.unreadable]
    if unreadable:  # their powers would show as 新增 or 取消: no table may say so
        for f in unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        if targets:
            err.print("[red]有文件无法读取，比较结果不完整（其中的事项会被误作新增或取消），未写出调整对照表[/red]")
        targets = []
    from .publish.adjustments import write_adjustments

    inputs = [old, new, *(f.path for f in before.files), *(f.path for f in after.files)]
    for target, internal in targets:
        with _user_errors(), output_file(target, inputs=inputs, force=force, kind="adjustments") as staged:
            left_out = write_adjustments(result, staged, internal=internal)
        note = "（内部资料，含不予公开事项，不得公开）" if internal else (
            f"（未列入 {left_out} 项不予公开事项）" if left_out else "")
        err.print(f"调整对照表{note}：{escape(target)}")
    data = diff_json(result)
    if as_json:
        _write_json(data)
        if unreadable:
            raise typer.Exit(EXIT_UNREADABLE)
        return
    console = _console()
    s = data["summary"]
    console.print(f"新增 {s['added']} 项，取消 {s['removed']} 项，更名 {s['renamed']} 项，变更 {s['changed']} 项，未变 {s['unchanged']} 项")
    table = Table(header_style="bold")
    for column in ("类型", "单位", "调整前", "调整后", "调整内容"):
        table.add_column(column, overflow="fold")
    for agency, power in result.added:
        table.add_row("[green]新增[/green]", escape(agency), "", escape(power.title), "")
    for agency, power in result.removed:
        table.add_row("[red]取消[/red]", escape(agency), escape(power.title), "", "")
    for pair in result.renamed + result.changed:
        kind = "[yellow]更名[/yellow]" if pair.renamed else "[cyan]变更[/cyan]"
        detail = "\n".join(f"{c.label}：{(c.before or '（空）')[:40]} → {(c.after or '（空）')[:40]}" for c in pair.changes)
        table.add_row(kind, escape(pair.new_agency), escape(pair.old.title), escape(pair.new.title), escape(detail))
    console.print(table)
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)


@app.command("stats")
def stats_command(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
    out: Annotated[str | None, typer.Option("--out", help="写出统计表（.xlsx，含图表）")] = None,
    with_check: Annotated[bool, typer.Option("--check", help="同时统计审查发现的问题（按规则）")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖不是 powercat 写出的同名文件（输入文件永远不会被覆盖）")] = False,
) -> None:
    """统计各单位、各类别的事项数，有运行流程的事项，不予公开的事项（及审查问题）。"""
    from rich.table import Table

    from .output import check_file_target, output_file
    from .stats import compute, write_stats

    if out is not None:
        with _user_errors():  # refused before anything is read
            check_file_target(out, inputs=paths, force=force, kind="stats")  # or last run's table
    catalogue = load(paths)
    report = None
    if with_check:
        from .check import run as run_checks

        report = run_checks(catalogue)
    stats = compute(catalogue, report)
    if out and not catalogue.powers:  # an empty table never replaces an earlier one
        _console(stderr=True).print(f"[red]没有读到任何事项，未写出统计表；{escape(out)} 保持不变[/red]")
    elif out:
        inputs = [*paths, *(f.path for f in catalogue.files)]
        with _user_errors(), output_file(out, inputs=inputs, force=force, kind="stats") as staged:
            write_stats(stats, staged)
        _console(stderr=True).print(f"统计表：{escape(out)}")
    if as_json:
        _write_json(stats.to_json())
    else:
        table = Table(title="行政权力事项分类统计", header_style="bold")
        short = [c.removeprefix("行政") if c.startswith("行政") else c.replace("行政权力", "") for c in stats.categories]
        for column in ("单位", *short, "合计", "有流程", "不公开"):
            table.add_column(column, justify="right" if column != "单位" else "left", no_wrap=column != "单位")
        for agency in stats.agencies:
            table.add_row(escape(agency), *(str(stats.counts.get((agency, c), 0)) for c in stats.categories),
                          str(stats.total(agency)), str(stats.with_steps.get(agency, 0)), str(stats.withheld.get(agency, 0)))
        _console().print(table)
    if catalogue.unreadable or not catalogue.files or (out and not catalogue.powers):
        for f in catalogue.unreadable:
            _console(stderr=True).print(f"[red]无法读取[/red] {escape(f.error.message)}")
        raise typer.Exit(EXIT_UNREADABLE)


@app.command("review")
def review_command(
    copies: Annotated[list[str], typer.Argument(help="各审核单位退回的审查意见副本（文件或文件夹）", show_default=False)],
    out: Annotated[str, typer.Option("--out", help="输出文件夹（内部资料：含不予公开事项）")],
    lists: Annotated[list[str] | None, typer.Option("--list", help="送审的原清单（可多次指定）；不指定时以每个单位的第一份副本为准")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出审核结果到标准输出")] = False,
    limit: Annotated[int, typer.Option("--limit", help="终端每个文件最多显示的问题条数（0 为不限）")] = 200,
) -> None:
    """清理审核：读回各审核单位（法制、编制、保密等）的审核结论，生成确认清单、备案登记表、调整对照表和清理统计。"""
    from .model import Catalogue
    from .report import findings_view
    from .review.run import ReviewError, review, review_json

    err = _console(stderr=True)
    try:
        with _user_errors():  # a failed write: exit 5, the earlier review untouched
            result = review(copies, out, lists)
    except ReviewError as exc:  # nothing written: 2 for the output folder, 3 when no copy can be read
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(exc.exit_code) from None
    report = result.report
    if as_json:
        _write_json(review_json(result))
    else:
        from .review.pending import copy_labels

        findings_view.render(_console(), Catalogue(result.files), report, limit=limit or None,
                             labels=copy_labels(result.groups))
        console = _console()
        _print_copies_and_pending(console, result, limit)
        for item in result.counts.get("by_agency", []):
            console.print(f"{escape(item['agency'])}：{escape(item['sentence'])}")
        console.print(f"[bold]合计：{escape(result.counts['sentence'])}[/bold]")
    for agency, path in result.confirmed.items():
        err.print(f"确认清单：{escape(path)}")
    err.print(f"备案登记表、调整对照表、清理统计：{escape(str(result.out))}（内部资料，含不予公开事项，不得整体公开）")
    if report.findings:  # the findings' kinds on stderr too, so a script sees them beside the exit code
        from .check.findings import RULES

        kinds = "，".join(f"{RULES[code].title} {n} 条" for code, n in report.by_code().items())
        err.print(f"审核发现的问题：{escape(kinds)}")
    if result.unreadable or not result.copies:
        for f in result.unreadable:
            err.print(f"[red]无法读取[/red] {escape(f.error.message)}")
        if not result.copies:
            err.print("[yellow]没有找到副本（.xlsx .xlsm .xls .csv）[/yellow]")
        raise typer.Exit(EXIT_UNREADABLE)
    if report.count("error"):
        raise typer.Exit(EXIT_FINDINGS)


def _print_copies_and_pending(console, result, limit: int) -> None:
    """Each copy by the office that returned it; each conflict with what each office said where."""
    for copy in result.copies:
        name = copy.path.replace("\\", "/").rsplit("/", 1)[-1]
        console.print(f"审核单位 {escape(copy.office or '（未署名）')}：{escape(name)}，{len(copy.decisions)} 行结论")
    conflicts = [o for o in result.outcomes if o.conflict]
    if conflicts:
        console.print(f"[bold red]结论冲突 {len(conflicts)} 项[/bold red]（详见清理统计.xlsx“冲突与待定”表）")
    for o in conflicts[: limit or None]:
        said = "；".join(f"{d.office}：{d.raw_conclusion or d.conclusion}（{d.where}）" for d in o.decisions)
        console.print(f"  {escape(o.agency)} {escape(o.power.title)} — {escape(said)}")


@app.command("cases")
def cases_command(
    registers: Annotated[list[str], typer.Argument(help="办件登记（运行记录）文件或文件夹：办件登记表与环节记录（.xlsx .xls .csv）", show_default=False)],
    catalogue_paths: Annotated[list[str], typer.Option("--catalogue", help="权责清单文件或文件夹（可多次给出）", show_default=False)],
    period: Annotated[str, typer.Option("--period", help="统计期间：month / quarter / year")] = "month",
    as_of: Annotated[str | None, typer.Option("--as-of", help="基准日 YYYY-MM-DD（默认今天）：在办件超期与预警按此计算")] = None,
    due_within: Annotated[int, typer.Option("--due-within", help="预警：距时限届满不超过几个工作日")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
    out: Annotated[str | None, typer.Option("--out", help="输出文件夹：public/cases（可公开）与 internal/cases（内部）")] = None,
    select: Annotated[str | None, typer.Option("--select", help="只检查这些规则（逗号分隔；以 - 结尾表示前缀）")] = None,
    ignore: Annotated[str | None, typer.Option("--ignore", help="不检查这些规则（逗号分隔）")] = None,
    limit: Annotated[int, typer.Option("--limit", help="终端每个文件最多显示的问题条数（0 为不限）")] = 200,
) -> None:
    """动态公开：审查重要行政权力的办件登记与运行记录（环节、时限、送达、公开），统计并生成公开与备案材料。"""

    from .cases import publish as cases_publish
    from .cases import view as cases_view
    from .cases.run import check_registers

    err = _console(stderr=True)
    if period not in ("month", "quarter", "year"):
        err.print(f"[red]--period 应为 month、quarter 或 year，收到 {escape(period)}[/red]")
        raise typer.Exit(EXIT_USAGE)
    day = _as_of_option(as_of)
    from .check import finding_codes

    unknown = [c for c in (_codes(select) or []) + (_codes(ignore) or [])
               if not any(code == c or code.startswith(c.rstrip("*")) for code in finding_codes())]
    if unknown:
        err.print(f"[red]未知的规则：{escape('、'.join(unknown))}[/red]（见 docs/rules.md）")
        raise typer.Exit(EXIT_USAGE)
    catalogue = load(catalogue_paths)
    _settle(catalogue)
    result = check_registers(catalogue, registers, as_of=day, due_within=due_within, select=_codes(select),
                             ignore=_codes(ignore))
    if out is not None:  # --out "" is refused by the output module, never silently nothing
        from pathlib import Path

        from .output import output_folder

        inputs = [*registers, *catalogue_paths, *(f.path for f in catalogue.files), *(f.path for f in result.files)]
        with _user_errors(), output_folder(out, inputs=inputs, kind="cases") as staged:  # refused, locked, swapped
            cases_publish.write_public(result, staged / "public" / "cases")
            cases_publish.write_internal(result, staged / "internal" / "cases", period)
        err.print(f"已生成：{escape(str(Path(out) / 'public' / 'cases'))}（可公开）与 "
                  f"{escape(str(Path(out) / 'internal' / 'cases'))}（内部，不得公开）")
    if as_json:
        _write_json(cases_view.result_json(result, period))  # UTF-8 whatever the locale
    else:
        cases_view.render(_console(), result, period, limit_per_file=limit or None)
    unreadable = [f.error.message for f in catalogue.unreadable] + [f.error.message for f in result.unreadable]
    for message in unreadable:
        err.print(f"[red]无法读取[/red] {escape(message)}")
    if unreadable or not result.files or not catalogue.files:
        if not result.files:
            err.print("[yellow]没有找到办件登记文件（.xlsx .xls .csv）[/yellow]")
        raise typer.Exit(EXIT_UNREADABLE)
    if result.report.count("error"):
        raise typer.Exit(EXIT_FINDINGS)


def run() -> None:
    """Console-script entry point: the last line of defence, so that no traceback reaches a
    user. Exit codes: 0 fine · 1 error findings · 2 usage · 3 input unreadable · 4 Graphviz or
    the CJK font missing or failing · 5 could not write the output (disk full, read-only,
    locked, closed stdout) · 70 an internal error (a bug: please report it)."""
    from . import interrupt

    global _stderr_kept
    interrupt.install()  # Ctrl-C kills dot/rsvg-convert at once, then unwinds (staging removed)
    _utf8_mode()
    if sys.stdout is None:  # started with stdout closed (`powercat … >&-`)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 – for the whole run
        _closed_stdout_exit()
    if "--json" in sys.argv[1:]:
        _stderr_kept = []
    try:
        # without standalone mode click returns typer.Exit's code instead of exiting
        code = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        interrupt.exit_interrupted(_say)  # 130, without waiting on threads that never end
    except BrokenPipeError:
        _closed_stdout_exit()
    except PowercatError as exc:  # one a command did not turn into its exit itself
        _say(exc.message)
        _json_error_if_silent(exc.exit_code)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 – click's own usage errors included
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # a click usage error (typer vendors click, so matched by shape)
            if _stderr_kept is not None and callable(getattr(exc, "format_message", None)):
                _stderr_kept.append(exc.format_message())
            _json_error_if_silent(exc.exit_code)
            sys.exit(exc.exit_code)
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _closed_stdout_exit()
        _say(f"powercat 内部错误（{type(exc).__name__}：{str(exc)[:300]}）。输入文件未被修改，原有输出保持不变；"
             "请把这条信息和所用命令报告给维护者。")
        _json_error_if_silent(EXIT_INTERNAL)
        sys.exit(EXIT_INTERNAL)
    if interrupt.was_interrupted():  # typer turned the KeyboardInterrupt into exit code 130
        interrupt.exit_interrupted(_say)
    code = code if isinstance(code, int) else 0
    _json_error_if_silent(code)
    _flush_or_exit()
    if _exit_at_once:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _say(message: str) -> None:
    if _stderr_kept is not None:
        _stderr_kept.append(message + "\n")
    try:
        if sys.stderr is not None:
            print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _flush_or_exit() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _closed_stdout_exit()
    except OSError as exc:
        from .output import os_error_message

        _say(os_error_message(exc, "标准输出"))
        os._exit(EXIT_OUTPUT)


def _closed_stdout_exit() -> None:
    # stdout is gone: point it at /dev/null so the interpreter's own final flush is quiet
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    _say("标准输出已关闭（例如管道被下游关闭），输出未能全部写出。")
    os._exit(EXIT_OUTPUT)


def _utf8_mode() -> None:
    """Under a non-UTF-8 locale (zh_CN.GBK) Python would decode file names and write the
    terminal in GBK: file names that are UTF-8 on disk turn into surrogates and characters
    outside GBK crash the output. Re-run in Python's UTF-8 mode, keeping the terminal's own
    encoding for what it shows (unencodable characters escaped, never a crash)."""
    if sys.flags.utf8_mode or os.environ.get("POWERCAT_NO_REEXEC"):
        return
    import locale

    encoding = locale.getpreferredencoding(False)
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", ""):
        return
    env = dict(os.environ, PYTHONUTF8="1", POWERCAT_NO_REEXEC="1",
               PYTHONIOENCODING=os.environ.get("PYTHONIOENCODING") or f"{encoding}:backslashreplace")
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        os.execve(sys.executable, [sys.executable, "-X", "utf8", "-m", "powercat", *_raw_arguments()], env)


def _raw_arguments() -> list[bytes | str]:
    """The arguments exactly as the shell passed them: the locale decoded them, and a UTF-8
    file name decoded as GBK does not encode back (€ has no GBK byte)."""
    count = len(sys.argv) - 1
    if count <= 0:
        return []
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            raw = cmdline.read().rstrip(b"\0").split(b"\0")
        if len(raw) >= count:
            return raw[-count:]
    except OSError:
        pass
    return [os.fsencode(arg) for arg in sys.argv[1:]]


if __name__ == "__main__":
    run()

