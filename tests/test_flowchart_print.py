"""Printed flowcharts: Chinese line breaking, booklets (one pass, legible, numbered,
bookmarked), deterministic PDFs, distinct folders for agencies that sanitise alike."""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from powercat.ingest import load
from powercat.model import Agency, Catalogue, Power, Source, WorkbookFile
from powercat.process import build_graph
from powercat.publish.records import public_records
from powercat.render import flowcharts
from powercat.render.booklet import MIN_TEXT_PT, place, read_chart
from powercat.render.dot import retitle_svg, titles, to_dot
from powercat.render.linebreak import NO_END, NO_START, text_width, wrap_lines

from .conftest import DATA, run_cli

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("dot", "rsvg-convert", "pdftotext", "pdffonts")),
    reason="needs Graphviz dot, rsvg-convert (librsvg2-bin) and poppler-utils")

LONG = ("申请人享有陈述、申辩权；依法要求听证；对决定不服的，可自知道之日起60日内申请行政复议或6个月内提起行政诉讼。"
        "《中华人民共和国行政许可法》第四十二条规定：除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起"
        "二十日内作出行政许可决定（“二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日”）。")


# --- line breaking (避头尾) ---------------------------------------------------------------

@pytest.mark.parametrize("width", range(6, 41, 3))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    lines = wrap_lines(LONG, width)
    assert "".join(lines) == LONG
    for line in lines[1:]:
        assert line[0] not in NO_START, (width, line)
    for line in lines[:-1]:
        assert line[-1] not in NO_END, (width, line)
    # a hanging closing mark may overrun the width by one character, never more
    assert all(text_width(line) <= width + 2 for line in lines), lines


def test_closing_marks_never_start_a_line():
    assert wrap_lines("一二三四五、六七", 10) == ["一二三四五、", "六七"]  # 、 hangs
    assert wrap_lines("一二三四》。六七", 8) == ["一二三", "四》。", "六七"]  # two marks: pull a character down
    assert wrap_lines("一二三（五六七", 8) == ["一二三", "（五六七"]  # （ does not end a line


def test_numbers_codes_and_units_stay_whole():
    assert wrap_lines("申请人5日内提出", 8) == ["申请人", "5日内", "提出"]
    assert wrap_lines("职权编码519901101XK00100", 16) == ["职权编码", "519901101XK00100"]
    assert wrap_lines("依据GB/T 1526绘制", 6)[:2] == ["依据", "GB/T"]


def test_no_single_character_alone_on_the_last_line():
    assert wrap_lines("一二三四五六七八九十一", 20) == ["一二三四五六七八九", "十一"]
    lines = wrap_lines("受理之日起二十日内作出决定书", 26)
    assert len(lines[-1]) > 1
    assert wrap_lines("一二", 2) == ["一", "二"]  # no better break exists


def test_existing_line_breaks_are_kept():
    assert wrap_lines("第一行\n第二行", 40) == ["第一行", "第二行"]
    assert wrap_lines("", 10) == [""]


# --- labels ----------------------------------------------------------------------------------

def _power(**fields) -> Power:
    return Power(source=Source("f.xlsx", "s", 2), name=fields.pop("name", "测试许可"),
                 category=fields.pop("category", "行政许可"), **fields)


def test_svg_titles_name_the_steps_not_internal_ids():
    process = build_graph(_power())
    dot = to_dot(process, "测试局", name="chart7")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    svg = retitle_svg(subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True).stdout,
                      titles(process, "chart7")).decode("utf-8")
    shown = [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", svg)]
    assert shown[0] == "测试许可" and "受理" in shown and any(" → " in t for t in shown)
    assert not [t for t in shown if re.search(r"\bn[0-9]+\b|chart7|->|footer|cluster", t)]
    assert "<!--" not in svg


# --- booklets ----------------------------------------------------------------------------------

def _boxes(pdf: Path) -> list[list[float]]:
    """The height of every word box on each page, from poppler (pt)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[float(y1) - float(y0) for y0, y1 in re.findall(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"', page)]
            for page in re.findall(r"<page .*?</page>", out, re.S)]


def _box_of(tmp_path: Path, size: float, bold: bool = False) -> float:
    """The word-box height poppler gives to text of `size` pt set like the booklets."""
    weight = ' font-weight="bold"' if bold else ""
    svg = tmp_path / f"probe-{size}-{bold}.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="60pt" viewBox="0 0 200 60">'
                   f'<text x="10" y="30" font-size="{size}" font-family="Noto Sans CJK SC"{weight}>行政许可ABC 12</text></svg>')
    pdf = svg.with_suffix(".pdf")
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(pdf), str(svg)], check=True)
    return min(_boxes(pdf)[0])


@pytest.fixture(scope="module")
def sample_booklets(tmp_path_factory):
    if not all(shutil.which(t) for t in ("dot", "rsvg-convert", "pdftotext", "pdffonts")):
        pytest.skip("needs Graphviz dot, rsvg-convert (librsvg2-bin) and poppler-utils")
    out = tmp_path_factory.mktemp("charts")
    result = run_cli("flowchart", DATA, "--out", out, "--format", "svg,pdf", "--json")
    assert result.exit_code == 0, result.stderr
    return out, json.loads(result.stdout)


@needs_tools
def test_booklet_text_is_at_least_7pt_on_every_page(sample_booklets, tmp_path):
    out, manifest = sample_booklets
    seven = min(_box_of(tmp_path, MIN_TEXT_PT), _box_of(tmp_path, MIN_TEXT_PT, bold=True))
    # the probe tells 7 pt from anything smaller, so this test can fail
    assert _box_of(tmp_path, 6.8) < seven * 0.995 and _box_of(tmp_path, 4.5) < seven * 0.7
    assert len(manifest["booklets"]) == 4
    for booklet in manifest["booklets"]:
        pages = _boxes(Path(booklet))
        assert len(pages) == len(PdfReader(booklet).pages) and all(pages)
        too_small = {number: round(min(boxes) / seven * MIN_TEXT_PT, 2)
                     for number, boxes in enumerate(pages, start=1) if min(boxes) < seven * 0.995}
        assert not too_small, (booklet, too_small)


@needs_tools
def test_booklet_is_one_pass_numbered_and_bookmarked(sample_booklets):
    out, manifest = sample_booklets
    booklet = next(b for b in manifest["booklets"] if "市场监督" in b)
    fonts = subprocess.run(["pdffonts", booklet], capture_output=True, text=True).stdout.splitlines()[2:]
    # one subset per face for the whole booklet (not one per page)
    assert sorted(line.split()[0].split("+")[1] for line in fonts) == ["NotoSansCJKsc-Bold", "NotoSansCJKsc-Regular"]
    reader = PdfReader(booklet)
    charts = [c for c in manifest["charts"] if "市场监督" in c["agency"]]
    texts = [page.extract_text() for page in reader.pages]
    assert "行政权力运行流程图" in texts[0] and f"共 {len(charts)} 项" in texts[0]
    assert "目" in texts[1] and "行政许可（" in texts[1]
    # the contents' page numbers are the numbers printed on the chart pages
    contents = re.findall(r"(519901101[A-Z]{2}[0-9]{5}).*?(\d+)\s*$", texts[1], re.M)
    assert len(contents) >= 20
    for code, page in contents:
        assert f"— {page} —" in texts[int(page) - 1] and code in texts[int(page) - 1], (code, page)
    for number, text in enumerate(texts[1:], start=2):
        assert f"— {number} —" in text
    outline = reader.outline
    assert [o.title for o in outline[:2]] == ["封面", "目录"]
    groups = [o for o in outline[2:] if not isinstance(o, list)]
    assert {g.title.split("（")[0] for g in groups} >= {"行政许可", "行政处罚", "行政检查"}
    children = [c for o in outline[2:] if isinstance(o, list) for c in o]
    assert len(children) == len(charts)
    assert all(reader.get_destination_page_number(c) >= 2 for c in children)


@needs_tools
def test_every_chart_page_is_portrait_a4_at_7pt_or_more(sample_booklets):
    out, manifest = sample_booklets
    for chart in manifest["charts"]:
        svg = next(o for o in chart["outputs"] if o.endswith(".svg"))
        placed = place(read_chart(Path(svg).read_text(encoding="utf-8")))
        assert placed.scale * read_chart(Path(svg).read_text(encoding="utf-8")).min_font >= MIN_TEXT_PT - 1e-9
        # the sample charts all fit portrait; a penalty drawn with both the simplified procedure and
        # the hearing branch (law-derived, 11 ranks) is split once between steps, never shrunk
        assert not placed.landscape and len(placed.bands) <= (2 if chart["source"] == "law" else 1), svg


def test_a_tall_chart_is_split_between_steps_not_shrunk():
    steps = 40
    power = _power(steps=[])
    import networkx as nx

    from powercat.process.graph import ProcessGraph
    graph = nx.DiGraph()
    for i in range(steps):
        graph.add_node(str(i), name=f"第{i}步审查", kind="start" if i == 0 else "end" if i == steps - 1 else "task",
                       post="科室", limit="1日", control=None, disclosure=None)
        if i:
            graph.add_edge(str(i - 1), str(i))
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(ProcessGraph(power, graph, "steps", [])), capture_output=True,
                         text=True, check=True).stdout
    chart = read_chart(svg)
    placed = place(chart)
    assert len(placed.bands) >= 2 and not placed.landscape
    assert placed.scale * chart.min_font >= MIN_TEXT_PT
    for (_a, cut), _next in zip(placed.bands, placed.bands[1:]):
        assert not any(s < cut < e for s, e in chart.spans), cut  # never through a step


@needs_tools
def test_pdfs_are_byte_identical_twice(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source = DATA / "青川市应急管理局权力清单.xlsx"
    for run in ("a", "b"):
        assert run_cli("flowchart", source, "--out", tmp_path / run, "--format", "pdf").exit_code == 0
    a = sorted((tmp_path / "a").rglob("*.pdf"))
    b = sorted((tmp_path / "b").rglob("*.pdf"))
    assert len(a) == 23 and [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    booklet = PdfReader(next(p for p in a if p.parent == tmp_path / "a"))
    assert booklet.metadata["/CreationDate"] == "D:20260101000000Z"
    chart = next(p for p in a if p.parent != tmp_path / "a").read_bytes()
    assert b"/CreationDate (D:20260101000000Z)" in chart


@needs_tools
def test_booklets_are_small(sample_booklets):
    out, manifest = sample_booklets
    for booklet in manifest["booklets"]:
        pages = len(PdfReader(booklet).pages)
        assert Path(booklet).stat().st_size < 400_000 + 40_000 * pages, booklet


# --- names -----------------------------------------------------------------------------------

def _catalogue(*agencies: str) -> Catalogue:
    files = []
    for i, name in enumerate(agencies):
        source = WorkbookFile(path=f"{i}.xlsx", format="xlsx", agency=Agency(name=name))
        source.powers = [Power(source=Source(f"{i}.xlsx", "s", 2), name="同名许可", category="行政许可", code="A/1"),
                         Power(source=Source(f"{i}.xlsx", "s", 3), name="另一许可", category="行政许可", code="A:1")]
        files.append(source)
    return Catalogue(files=files)


def _plan(catalogue: Catalogue, out_dir) -> list:
    """The public charts, as the pipeline plans them: for the powers the gate lets through."""
    return flowcharts.plan(catalogue, out_dir, public=[record.power for record in public_records(catalogue)])


def test_agencies_that_sanitise_alike_get_their_own_folders(tmp_path):
    charts = _plan(_catalogue("甲局/乙", "甲局:乙", "甲局|乙"), tmp_path)
    folders = {Path(c.target).parent for c in charts}
    assert len(folders) == 3 and all(f.parent == tmp_path for f in folders)
    targets = [c.target for c in charts]
    assert len(set(targets)) == len(targets) == 6  # codes A/1 and A:1 apart too
    assert len({c.folder_name for c in charts}) == 3


@needs_tools
def test_agencies_that_sanitise_alike_get_their_own_booklets(tmp_path):
    catalogue = _catalogue("甲局/乙", "甲局:乙")
    charts = _plan(catalogue, tmp_path)
    booklets = flowcharts.render(catalogue, charts, ("svg",), out_dir=tmp_path)
    assert len(set(booklets)) == 2
    titles_ = sorted(PdfReader(b).metadata["/Title"] for b in booklets)
    assert titles_ == ["甲局/乙 行政权力运行流程图", "甲局:乙 行政权力运行流程图"]


def test_repeated_names_in_one_booklet_are_told_apart():
    catalogue = _catalogue("甲局")
    source = catalogue.files[0]
    source.powers = [Power(source=Source("0.xlsx", "市级", 2), name="同名许可", category="行政许可", level="市级"),
                     Power(source=Source("0.xlsx", "县级", 9), name="同名许可", category="行政许可", level="县级"),
                     Power(source=Source("0.xlsx", "市级", 4), name="独有许可", category="行政许可")]
    charts = _plan(catalogue, "/nonexistent")
    assert flowcharts._details(charts) == ["市级", "县级", ""]


def test_missing_rsvg_convert_exits_4_unless_no_booklet(tmp_path, monkeypatch):
    if not all(shutil.which(t) for t in ("dot", "fc-list")):
        pytest.skip("Graphviz dot and fontconfig are needed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dot", "fc-list"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    monkeypatch.setenv("PATH", str(bin_dir))
    source = DATA / "青川市应急管理局权力清单.xlsx"
    result = run_cli("flowchart", source, "--out", tmp_path / "x", "--format", "svg")
    assert result.exit_code == 4 and "apt-get install librsvg2-bin" in result.stderr
    assert run_cli("flowchart", source, "--out", tmp_path / "y", "--format", "svg", "--no-booklet").exit_code == 0


def _crossings(svg: str) -> int:
    """How many note connectors another edge crosses (the edges' control polygons)."""
    number = r"-?[0-9.]+"
    connectors, others = [], []
    for title, body in re.findall(r'<g id="edge[0-9]+" class="edge">\s*<title>(.*?)</title>(.*?)</g>', svg, re.S):
        d = re.search(r'\bd="([^"]+)"', body)
        points = [tuple(map(float, p.split(","))) for p in re.findall(number + "," + number, d.group(1))] if d else []
        (connectors if "_note" in title else others).append(points)
    count = 0
    for line in connectors:
        left, right = sorted([line[0][0], line[-1][0]])
        y = (line[0][1] + line[-1][1]) / 2
        for edge in others:
            if any((y1 - y) * (y2 - y) < 0 and left + 1 < x1 + (x2 - x1) * (y - y1) / (y2 - y1) < right - 1
                   for (x1, y1), (x2, y2) in zip(edge, edge[1:])):
                count += 1
    return count


def test_crossing_detector_sees_a_crossing():
    svg = ('<g id="edge1" class="edge"><title>n1&#45;&gt;n1_note</title><path d="M0,-10C5,-10 15,-10 20,-10"/></g>'
           '<g id="edge2" class="edge"><title>n0&#45;&gt;n2</title><path d="M10,0C10,-5 10,-15 10,-20"/></g>')
    assert _crossings(svg) == 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_no_note_connector_crosses_an_edge():
    catalogue = load([str(DATA)])
    source = "".join(to_dot(build_graph(p), p.agency, name=f"c{i}") for i, p in enumerate(catalogue.powers))
    out = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True).stdout
    svgs = out.split("</svg>")[:-1]
    assert len(svgs) == len(catalogue.powers)
    assert sum("_note" in svg for svg in svgs) >= 20  # decisions with notes are drawn
    assert [i for i, svg in enumerate(svgs) if _crossings(svg)] == []


@needs_tools
def test_booklet_takes_any_text(tmp_path):
    from powercat.render.booklet import Entry, build_booklet
    svg = tmp_path / "c.svg"
    svg.write_text(subprocess.run(["dot", "-Tsvg"], input=to_dot(build_graph(_power())), capture_output=True, text=True,
                                  check=True).stdout, encoding="utf-8")
    odd = '甲<局>&"乙"\x0b\\N\u202e丙'
    booklet = build_booklet(odd, [Entry(odd, "A&B", "行政许可", str(svg)), Entry("乙", None, odd, str(svg))],
                            tmp_path / "b.pdf", tmp_path / "work")
    reader = PdfReader(booklet)
    assert len(reader.pages) == 4
    text = reader.pages[1].extract_text()
    assert '甲<局>&"乙"' in text and "\\N" in text and "A&B" in text


def test_two_files_of_one_agency_are_told_apart_by_file():
    catalogue = _catalogue("甲局", "甲局")
    charts = _plan(catalogue, "/nonexistent")
    assert [c.power.title for c in charts] == ["同名许可", "另一许可"] * 2
    assert flowcharts._details(charts) == ["0", "0", "1", "1"]


def test_a_very_wide_chart_is_tiled_not_shrunk():
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    import networkx as nx

    from powercat.process.graph import ProcessGraph
    graph = nx.DiGraph()
    graph.add_node("0", name="申请", kind="start")
    graph.add_node("99", name="办结", kind="end")
    for i in range(1, 13):
        graph.add_node(str(i), name=f"并联审查{i}", kind="task", post="某某科室审查岗", limit="3个工作日",
                       control="两人以上审查")
        graph.add_edge("0", str(i))
        graph.add_edge(str(i), "99")
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(ProcessGraph(_power(), graph, "steps", [])), capture_output=True,
                         text=True, check=True).stdout
    chart = read_chart(svg)
    placed = place(chart)
    assert placed.landscape and len(placed.columns) >= 2 and placed.pages >= 2
    assert placed.scale * chart.min_font >= MIN_TEXT_PT - 1e-9
    covered = [x for c in placed.columns for x in c]
    assert min(covered) <= chart.view[0] and max(covered) >= chart.view[0] + chart.view[2] - 1e-6
    assert all(a[1] > b[0] for a, b in zip(placed.columns, placed.columns[1:]))  # they overlap


@needs_tools
def test_booklet_without_source_date_epoch_has_no_date_and_is_identical(tmp_path, monkeypatch):
    from powercat.render.booklet import Entry, build_booklet
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    svg = tmp_path / "c.svg"
    svg.write_text(subprocess.run(["dot", "-Tsvg"], input=to_dot(build_graph(_power())), capture_output=True, text=True,
                                  check=True).stdout, encoding="utf-8")
    outputs = []
    for run in ("a", "b"):
        outputs.append(build_booklet("甲局", [Entry("测试许可", "T1", "行政许可", str(svg))], tmp_path / f"{run}.pdf",
                                     tmp_path / run).read_bytes())
    assert outputs[0] == outputs[1]
    assert b"/CreationDate" not in outputs[0] and b"/ID" in outputs[0]
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(subprocess.run(["dot", "-Tpdf"], input=to_dot(build_graph(_power())).encode(), capture_output=True,
                                   check=True).stdout)
    assert b"/CreationDate" in pdf.read_bytes()
    from powercat.render.pdfmeta import fix_creation_date
    fix_creation_date(pdf)
    assert b"/CreationDate" not in pdf.read_bytes()
    assert len(PdfReader(pdf).pages) == 1  # still a valid PDF: same length, same offsets


@pytest.mark.skipif(not all(shutil.which(t) for t in ("dot", "rsvg-convert", "pdftotext")),
                    reason="needs Graphviz dot, rsvg-convert and poppler's pdftotext")
def test_note_text_stays_inside_its_bracket_and_the_page(tmp_path):
    """Issue 23 item 4: note boxes must not overflow. Measured on the rendered page (rsvg draws
    the glyphs, pdftotext gives each word's box): every word of a note ends left of its
    bracket's right end and of the chart's right edge. The charts carry the longest notes the
    law-derived procedures write (a licence with review steps and a hearing the law requires,
    a penalty with both procedures) and a note with long Latin runs."""
    basis = ("《某某管理条例》第十二条：审批机关应当对申请材料进行现场核查，组织专家评审和检验检测；"
             "拟批准的，公示期不少于七个工作日；涉及公共利益的，应当举行听证。")
    charts = [build_graph(_power(basis=basis)),
              build_graph(_power(name="对过失引起火灾的处罚", category="行政处罚", basis="《中华人民共和国消防法》第六十四条")),
              build_graph(_power(name="对未经许可经营旅行社业务的处罚", category="行政处罚",
                                 basis="《中华人民共和国旅游法》第九十五条第一款"))]
    charts[0].graph.nodes["5"]["control"] = "依GB/T 19001-2016、ISO/IEC 17025:2017及JJF1069-2012标准，WWW.EXAMPLE.GOV.CN公示"
    for index, process in enumerate(charts):
        assert process.source == "law"
        svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(process, "测试局"), capture_output=True, text=True,
                             check=True).stdout
        (tmp_path / f"{index}.svg").write_text(svg, encoding="utf-8")
        subprocess.run(["rsvg-convert", "-f", "pdf", str(tmp_path / f"{index}.svg"), "-o", str(tmp_path / f"{index}.pdf")],
                       check=True)
        subprocess.run(["pdftotext", "-bbox", str(tmp_path / f"{index}.pdf"), str(tmp_path / f"{index}.html")], check=True)
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            (tmp_path / f"{index}.html").read_text(encoding="utf-8"))]
        page_width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
        tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg).groups())
        brackets = []
        for points in re.findall(r'<polyline fill="none" stroke="#7f7f7f" points="([^"]*)"', svg):
            xs, ys = zip(*(map(float, p.split(",")) for p in points.split()))
            brackets.append((min(xs) + tx, max(xs) + tx, min(ys) + ty, max(ys) + ty))
        assert len(brackets) >= 6
        inside = 0
        for x0, y0, x1, y1, word in words:
            assert x1 <= page_width, word
            for bx0, bx1, by0, by1 in brackets:
                if bx0 <= x0 <= bx1 and by0 <= (y0 + y1) / 2 <= by1:
                    inside += 1
                    assert x1 <= bx1 + 0.5, (index, word, x1, bx1)
        assert inside >= 20  # the notes' words were found and measured


def test_a_chart_without_width_is_as_wide_as_its_view_and_one_without_any_size_is_refused():
    from powercat.render.booklet import BookletError, read_chart

    chart = read_chart('<svg viewBox="0 0 100 50"><text font-size="12">受理</text></svg>')
    assert (chart.width, chart.height, chart.min_font) == (100.0, 50.0, 12.0)
    with pytest.raises(BookletError):  # was an AttributeError: 内部错误, exit 70
        read_chart("<svg><g/></svg>")
