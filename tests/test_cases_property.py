"""Property: personal data planted in random formats in a register's free text and party
fields never reaches any file under public/ (JSON, CSV, SVG, every XML part of the xlsx,
SQLite if any), searched after NFKC with separators dropped from digit runs."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powercat.cases.publish import build_cases
from powercat.ingest import load

from .conftest import DATA

CODES = ["519901101XK00300", "519901101CF00100"]  # public powers of the sample market-regulation list
SEPARATORS = ["", " ", "-", ".", "·", "/", "－", "　", "—", "\u200b"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉"
PLACES = "清河青山石桥南湖北关柳林双溪东坪云台白鹭"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

digit = st.sampled_from("0123456789")


def digits(n: int):
    return st.lists(digit, min_size=n, max_size=n).map("".join)


@st.composite
def written(draw, number: str) -> str:
    """A number as people write it: random separators between random groups, sometimes
    full-width."""
    out, i = [], 0
    while i < len(number):
        step = draw(st.integers(1, 6))
        out.append(number[i:i + step])
        i += step
    sep = draw(st.sampled_from(SEPARATORS))
    text = sep.join(out)
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return text


@st.composite
def id_card(draw):
    year = draw(st.integers(1940, 2010))
    born = f"{year}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
    if draw(st.booleans()):  # 15 digits: the old card
        number = draw(digits(6)) + born[2:] + draw(digits(3))
    else:
        number = draw(digits(6)) + born + draw(digits(3)) + draw(st.sampled_from("0123456789X"))
    return number, "身份证号" + draw(written(number))


@st.composite
def phone(draw):
    number = "1" + draw(st.sampled_from("3456789")) + draw(digits(9))
    prefix = draw(st.sampled_from(["", "+86 ", "+86-", "86"]))
    return number, "电话" + prefix + draw(written(number))


@st.composite
def landline(draw):
    area = "0" + draw(digits(draw(st.integers(2, 3))))
    local = draw(st.sampled_from("2345678")) + draw(digits(draw(st.integers(6, 7))))
    form = draw(st.sampled_from(["({a}){l}", "{a}-{l}", "{a} {l}", "（{a}）{l}", "{a}{l}"]))
    return area + local, "座机" + form.format(a=area, l=draw(written(local)))


@st.composite
def bank_card(draw):
    number = "62" + draw(digits(draw(st.integers(14, 17))))
    return number, "账号" + draw(written(number))


@st.composite
def email(draw):
    local = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)) + draw(digits(2))
    domain = draw(st.sampled_from(["qq.com", "163.com", "example.cn", "mail.gov.cn"]))
    at = draw(st.sampled_from(["@", "＠"]))
    return f"{local}@{domain}", f"邮箱{local}{at}{domain}"


@st.composite
def address(draw):
    place = "".join(draw(st.lists(st.sampled_from(PLACES), min_size=2, max_size=2)))
    n = draw(st.integers(1, 30))
    form = draw(st.sampled_from(["住在{p}村{n}组", "现居{p}小区{n}栋", "家住{p}屯", "户籍{p}乡{p}村", "居住{p}社区{n}单元",
                                 "住址{p}路{n}号"]))
    text = form.format(p=place, n=n)
    return place, text


@st.composite
def name(draw):
    return draw(st.sampled_from(SURNAMES)) + "".join(draw(st.lists(st.sampled_from(GIVEN), min_size=1, max_size=2)))


@st.composite
def bracketed_name(draw):
    person = draw(name())
    form = draw(st.sampled_from(["（经营者：{n}）", "（业主{n}）", "（{n}）", "(负责人 {n})", "【{n}】"]))
    return person, form.format(n=person)


@st.composite
def named_in_context(draw):
    """A name without brackets or a role word, where only its context says it is a person's."""
    person = draw(name())
    form = draw(st.sampled_from([
        "对{n}罚款{k}000元", "由{n}负责整改", "经{n}同意撤回申请", "{n}，男，汉族", "当场查获{n}（女，{k}5岁）", "{n}等{k}人聚众",
        "当事人系{m}之子{n}", "责令{n}改正", "{n}同志", "姓名：{n}", "据{n}供述", "对{m}、{n}分别警告", "{n}（身份证号略）",
        "当事人称{n}是其雇员", "对{n}罚款，{n}已缴纳"]))
    other = draw(name())
    shown = form.format(n=person, m=other, k=draw(st.integers(1, 9)))
    return person, shown


DATUM = st.one_of(id_card(), phone(), landline(), bank_card(), email(), address(), bracketed_name(), named_in_context())


@st.composite
def case(draw, n: int):
    planted: list[str] = []

    def text(base: str) -> str:
        parts = [base]
        for _ in range(draw(st.integers(0, 2))):
            datum, shown = draw(DATUM)
            planted.append(datum)
            parts.append(shown)
        return "，".join(parts)

    kind = draw(st.sampled_from(["自然人", "居民", "村民", "", "个体工商户", "法人", "个人"]))
    person = draw(name())
    planted.append(person)
    party = draw(st.sampled_from([
        person, f"{person}与{draw(name())}", f"{person}、{draw(name())}", f"{person}{draw(st.sampled_from(['园', '馆']))}",
        f"清河小吃店（经营者：{person}）", f"{person}（个体工商户）"]
        + ([f"{person}经营部", f"{person}小吃店"] if kind in ("", "个体工商户") else [])))  # a shop named after its owner
    party_id, shown = draw(st.one_of(id_card(), phone()))
    planted.append(party_id)
    row = [f"P-{n}", draw(st.sampled_from(CODES)), party, kind, shown, "2025-05-06", "2025-05-08", "2025-05-09",
           "2025-05-12", text("准予许可"), text(f"青市监许〔2025〕{n}号"), text("备注"), "主动公开"]
    return row, planted


HEADERS = ["办件编号", "职权编码", "相对人", "相对人类型", "证件号码", "受理日期", "决定日期", "送达日期", "公开日期",
           "办理结果", "决定文书号", "备注", "公开方式"]


@lru_cache(maxsize=1)
def _catalogue():
    return load([str(DATA)])


def _public_text(folder: Path) -> str:
    """Every file under the folder as text: zip parts unzipped, SQLite dumped."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"PK"):
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        elif data.startswith(b"SQLite format 3"):
            with sqlite3.connect(path) as db:
                texts += list(db.iterdump())
        else:
            texts.append(data.decode("utf-8", "replace"))
        texts.append(path.name)
    return "\n".join(texts)


def searchable(text: str) -> str:
    """NFKC, lower case, invisible characters out, separators between digits dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch == "\n")
    return re.sub(r"(?<=[0-9x])[\s\-.·/()_—]+(?=[0-9x])", "", text)


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=4).flatmap(
    lambda ns: st.tuples(*[case(i + 1) for i in range(len(ns))])))
def test_no_planted_personal_datum_reaches_public(cases):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADERS)
        for row, _planted in cases:
            sheet.append(row)
        book.save(folder / "登记.xlsx")
        result = build_cases(_catalogue(), [str(folder / "登记.xlsx")], folder / "public", folder / "internal",
                             as_of=dt.date(2025, 12, 31))
        assert len(result.outcomes) == len(cases)
        published = searchable(_public_text(folder / "public"))
        assert "准予许可" in published  # the decisions are there: the search looks at real output
        for _row, planted in cases:
            for datum in planted:
                assert searchable(datum) not in published, datum
