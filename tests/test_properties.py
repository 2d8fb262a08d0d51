"""Property tests (hypothesis): the parser never raises, positions stay inside the text,
bracket width does not change findings, the normaliser's view maps back to raw columns, the
rule loader raises nothing but PackError, and the readers nothing but SourceError.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker.engine.registry import load_registry
from checker.lint import lint_text
from checker.reporters.outline import outline_dict
from checker.skeleton.normalize import Line, lines_of, split_lines, view
from checker.skeleton.parser import parse

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
REGISTRY = load_registry()

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FAST = settings(max_examples=400, deadline=None)

# ---------------------------------------------------------------------------------------
# Strategies

CN_NUM = "一二三四五六七八九十"
FRAGMENTS = [
    "一、", "二、", "三、", "四、", "五、", "十一、",
    "（一）", "（二）", "(一)", "(三)", "一）", "（十二）",
    "1.", "2.", "1、", "12、", "（1）", "(2)", "3）", "1.5",
    "特此报告。", "特此汇报", "2024年1月29日", "二〇二四年一月二十九日", "2024年2月30日",
    "签发人：", "签发人：张 建", "新区党工委：", "新区党工委、管委会：", "曲卫字（2025）1号",
    "曲阜市卫生健康局文件", "- 3 -", "第2页，共5页", "3/7", "---", "12",
    "", "  ", "\u3000\u3000", "#", "## ", "> ", "**", "\ufeff", "\u200b", "\t", "\xa0",
    "\r\n", "\r", "\n", "\u3000",
    "。", "，", "；", "：", "！", "？", "“", "”", "《", "》", "(", ")", "（", "）",
]
KEYWORDS = [
    "法治政府建设", "主要举措和成效", "存在的不足和原因", "存在问题", "第一责任人",
    "党政主要负责人履行推进法治建设第一责任人职责", "下一步工作打算", "2025年工作安排",
    "其他需要报告的情况", "法院生效裁判", "履行法院生效裁判情况", "责任落实督查工作规定",
    "《法治政府建设与责任落实督察工作规定》", "原因是", "加强执法培训", "依法行政",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
BODY_CHARS = st.one_of(CJK, st.sampled_from("。，；：、！？“”《》（）() 　0123456789年月日"))
BODY = st.text(BODY_CHARS, max_size=25)
SEPARATORS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def rich_text(draw):
    """Text built from report constructs: markers, closings, dates, headers, body, noise."""
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(KEYWORDS), BODY,
                      st.text(max_size=6))
    lines = draw(st.lists(st.lists(piece, max_size=4).map("".join), max_size=25))
    seps = draw(st.lists(SEPARATORS, min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps))


MARKERS = {
    1: lambda n: st.sampled_from([f"{n}、", f"{n}."]),
    2: lambda n: st.sampled_from([f"（{n}）", f"({n})", f"{n}）"]),
    3: lambda n: st.sampled_from([f"{n}.", f"{n}、"]),
    4: lambda n: st.sampled_from([f"（{n}）", f"({n})", f"{n}）"]),
}


@st.composite
def small_report(draw):
    """A plausible report: front matter, numbered headings of mixed levels, body, closing."""
    out: list[str] = []
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["曲阜市卫生健康局文件", "曲卫字（2025）1号", "签发人：张 建"])))
    out.append(draw(st.sampled_from([
        "平安县卫生健康局2023年度法治政府建设情况报告", "关于 2023 年度法治政府建设情况的报告",
        "# 2024年法治政府建设工作报告"])))
    if draw(st.booleans()):
        out.append("新区党工委、管委会：")
    if draw(st.booleans()):
        out.append("现将我局2023年度法治政府建设工作情况报告如下：")
    counters = {1: 0, 2: 0, 3: 0, 4: 0}
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["h1", "h2", "h3", "h4", "body", "body", "blank"]))
        if kind.startswith("h"):
            level = int(kind[1])
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            n = counters[level]
            num = CN_NUM[(n - 1) % 10] if level <= 2 else str(n)
            marker = draw(MARKERS[level](num))
            indent = draw(st.sampled_from(["", "", "　　", "  ", "\t"]))
            title = draw(st.one_of(st.sampled_from(KEYWORDS), BODY))
            run_in = draw(st.sampled_from(["", "", "。" + "全年办理行政许可120件。"]))
            out.append(f"{indent}{marker}{draw(st.sampled_from(['', ' ']))}{title}{run_in}")
        elif kind == "body":
            words = draw(st.lists(st.one_of(st.sampled_from(KEYWORDS), BODY), min_size=1, max_size=4))
            out.append("　　" + "，".join(words) + draw(st.sampled_from(["。", "", "；"])))
        else:
            out.append(draw(st.sampled_from(["", "  ", "- 3 -"])))
    if draw(st.booleans()):
        out.append("特此报告。")
    if draw(st.booleans()):
        out.append("平安县卫生健康局")
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["2024年1月29日", "二〇二四年一月二十九日", "2024年2月30日"])))
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["（此件公开发布）", "一、附件", "(1) 附表"])))
    sep = draw(SEPARATORS)
    return sep.join(out) + draw(st.sampled_from(["", sep]))


SEED_LINES = [split_lines(p.read_text(encoding="utf-8-sig")) for p in SEEDS]


@st.composite
def mutated_seed(draw):
    """A seed with lines deleted, inserted, duplicated, split or swapped, and new line breaks."""
    lines = list(draw(st.sampled_from(SEED_LINES)))
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        op = draw(st.sampled_from(["del", "ins", "dup", "cut", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "del":
            del lines[i]
        elif op == "ins":
            new = draw(st.one_of(st.sampled_from(FRAGMENTS + KEYWORDS), BODY))
            lines.insert(i, new.replace("\r", "").replace("\n", ""))
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            k = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:k], lines[i][k:]]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return draw(SEPARATORS).join(lines)


# ---------------------------------------------------------------------------------------
# 1. parse never raises


@SETTINGS
@given(st.text())
def test_parse_never_raises_on_arbitrary_text(text):
    parse(text)


@SETTINGS
@given(rich_text())
def test_parse_never_raises_on_report_like_text(text):
    parse(text)


@SETTINGS
@given(small_report())
def test_parse_never_raises_on_small_reports(text):
    parse(text)


# ---------------------------------------------------------------------------------------
# 2. every position is inside the text


def _assert_positions(text: str) -> None:
    lines = split_lines(text)
    result = lint_text(text, "x.txt", REGISTRY)
    for d in result.diagnostics:
        s = d.span
        where = f"{d.code} {s} in {text!r}"
        assert 1 <= s.line <= len(lines), where
        assert 1 <= s.column <= len(lines[s.line - 1]) + 1, where
        assert s.line <= s.end_line <= len(lines), where
        assert 1 <= s.end_column <= len(lines[s.end_line - 1]) + 1, where
        assert (s.end_line, s.end_column) >= (s.line, s.column), where
    if result.report is not None:
        def walk(sections):
            for sec in sections:
                no = sec["line"]
                assert 1 <= no <= len(lines), f"section {sec} in {text!r}"
                assert view(lines[no - 1]), f"section {sec} on a blank line in {text!r}"
                walk(sec["children"])

        walk(outline_dict(result.report)["sections"])


@SETTINGS
@given(st.text())
def test_positions_inside_text_arbitrary(text):
    _assert_positions(text)


@SETTINGS
@given(rich_text())
def test_positions_inside_text_report_like(text):
    _assert_positions(text)


@SETTINGS
@given(small_report())
def test_positions_inside_text_small_reports(text):
    _assert_positions(text)


@settings(max_examples=30, deadline=None)
@given(mutated_seed())
def test_positions_inside_text_mutated_seeds(text):
    _assert_positions(text)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_positions_inside_seeds(seed):
    _assert_positions(seed.read_text(encoding="utf-8-sig"))


# ---------------------------------------------------------------------------------------
# 3. bracket width does not change findings

_LINEBREAK_KEEP = re.compile(r"(\r\n|\r|\n)")
_HEADING_BRACKETS = re.compile(
    r"^([\s\ufeff\u200b-\u200d\u2060#>*]*)([（(]?)([一二三四五六七八九十]{1,3}|\d{1,2})([）)])")
TO_HALF = {"（": "(", "）": ")"}
TO_FULL = {"(": "（", ")": "）"}


def swap_heading_brackets(text: str, table: dict[str, str]) -> str:
    """Swap the brackets of a heading marker at the start of each line (same length)."""
    parts = _LINEBREAK_KEEP.split(text)
    for i in range(0, len(parts), 2):
        m = _HEADING_BRACKETS.match(parts[i])
        if m:
            lead, open_, num, close = m.groups()
            new = lead + table.get(open_, open_) + num + table.get(close, close)
            parts[i] = new + parts[i][m.end():]
    out = "".join(parts)
    assert len(out) == len(text)
    return out


# The rules whose subject is the bracket style itself (lost bracket, mixed styles).
BRACKET_STYLE_RULES = {r.id for r in REGISTRY.rules
                       if r.check == "numbering" and r.options["mode"] in ("lost_bracket", "mixed_brackets")}


def _findings(text: str) -> set[tuple[str, int, int]]:
    return {(d.code, d.span.line, d.span.column)
            for d in lint_text(text, "x.txt", REGISTRY).diagnostics if d.code not in BRACKET_STYLE_RULES}


def _outline(text: str):
    report = lint_text(text, "x.txt", REGISTRY).report
    return outline_dict(report) if report is not None else None


def _assert_bracket_invariant(text: str) -> None:
    base = _findings(text)
    base_outline = _outline(text)
    for table in (TO_HALF, TO_FULL):
        swapped = swap_heading_brackets(text, table)
        got = _findings(swapped)
        assert got == base, (f"swap {table} changed findings: only original {base - got}, "
                             f"only swapped {got - base}; text={text!r}")
        # Findings alone barely depend on sub-headings; the skeleton must not change either
        # (only the marker's brackets are swapped, so even the displayed titles are equal).
        assert _outline(swapped) == base_outline, f"swap {table} changed the outline of {text!r}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_bracket_width_seeds(seed):
    text = seed.read_text(encoding="utf-8-sig")
    assert swap_heading_brackets(text, TO_HALF) != text or swap_heading_brackets(text, TO_FULL) != text \
        or "（" not in text
    _assert_bracket_invariant(text)


@SETTINGS
@given(small_report())
def test_bracket_width_small_reports(text):
    _assert_bracket_invariant(text)


@settings(max_examples=30, deadline=None)
@given(mutated_seed())
def test_bracket_width_mutated_seeds(text):
    _assert_bracket_invariant(text)


# ---------------------------------------------------------------------------------------
# 4. the normaliser's view maps back to raw columns

SPECIAL = ("  \t\u3000\xa0\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u200a\u202f\ufeff\u200b\u200c"
           "\u200d\u2060*#>()（）,，;:!?．－～﹑｡０９ＡＺａｚ一二。、"
           # invisible characters and compatibility forms (issue 14)
           "\u00ad\u034f\u180e\u200e\u202e\u2062\u3164\u2800\ufe0f\U000e0041\U000e0100"
           "\u2f00\u2f08\u2ed3\u31d0\uf967\uff64\ufe59\ufe35\uff03\uff0a\U0001d7d0")
RAW_CHARS = st.one_of(st.sampled_from(SPECIAL), CJK,
                      st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)))


def _translated(ch: str) -> str:
    """What the view makes of one raw character in the middle of a line ('' if dropped)."""
    return view("x" + ch)[1:]


def _assert_view_maps_back(raw: str) -> None:
    line = Line(1, raw)
    text = line.text
    prev = 0
    for i, ch in enumerate(text):
        col = line.raw_col(i)
        assert 1 <= col <= len(raw), (raw, i, col)
        assert col > prev, f"raw_col not strictly increasing at {i}: {prev} -> {col} for {raw!r}"
        prev = col
        assert _translated(raw[col - 1]) == ch, (raw, i, col, raw[col - 1], ch)
        assert line.raw_end_col(i + 1) == col + 1, (raw, i)
    assert 1 <= line.end_col <= len(raw) + 1, raw


@FAST
@given(st.text(RAW_CHARS, max_size=40))
@example("  (三) 加强")
@example("## **一、** 标题")
@example("\ufeff\u3000\u3000１２ 年")
def test_view_maps_back_to_raw(raw):
    _assert_view_maps_back(raw)


@FAST
@given(st.lists(st.sampled_from(FRAGMENTS + KEYWORDS), max_size=8).map("".join)
       .map(lambda s: s.replace("\r", "").replace("\n", "")))
def test_view_maps_back_to_raw_fragments(raw):
    _assert_view_maps_back(raw)


# ---------------------------------------------------------------------------------------
# 5. the normaliser's view on any line, at any index (section 4 covers every view character
# of lines made of the characters that matter; here: all of Unicode, surrogates included, and
# indices outside the view, which diagnostics clamp)

ANY_CHAR = st.characters(blacklist_categories=())   # lone surrogates too: str can hold them


@FAST
@given(st.text(ANY_CHAR, max_size=60), st.integers(-3, 70))
@example("\ud800 一、\u3000", 99)
def test_view_never_raises_and_clamps_into_the_line(text, index):
    for raw in split_lines(text):
        line = Line(1, raw)
        assert len(line.text) <= len(raw)
        for col in (line.raw_col(index), line.raw_end_col(index), line.first_col, line.end_col):
            assert 1 <= col <= len(raw) + 1, (raw, index, col)
        if 0 <= index < len(line.text):
            assert _translated(raw[line.raw_col(index) - 1]) == line.text[index], (raw, index)


@FAST
@given(st.text(ANY_CHAR, max_size=80) | st.lists(st.sampled_from(FRAGMENTS + KEYWORDS + ["\n", "\r\n", "\r", " \n#"]),
                                                 max_size=12).map("".join))
@example("\u3000#一、\r\n  *（一）\r\r> 正文\n\n")
def test_whole_file_view_equals_the_view_of_each_line(text):
    """lines_of() computes every line's view in one pass over the file: same as line by line."""
    raws = split_lines(text)
    assert [line.text for line in lines_of(text)] == [view(r) for r in raws]
    assert [line.raw for line in lines_of(text)] == raws


def test_whole_file_view_drops_exactly_the_whitespace_that_str_isspace_knows():
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in "\r\n")
    line = lines_of("一" + spaces + "二")[0]
    assert line.text == "一二" == view(line.raw)
    assert [ln.text for ln in lines_of("一\x0b二\n三\r\n四\r五")] == ["一二", "三", "四", "五"]


# ---------------------------------------------------------------------------------------
# 6. the rule loader: a pack made of anything YAML can say loads or is a PackError naming
# its line, never another exception

import tempfile  # noqa: E402 - the sections below are self-contained

import yaml  # noqa: E402

from checker.engine.registry import PackError, _load_pack  # noqa: E402

RULE_PACKS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "rules").glob("*.yaml"))}


def _values(data, out: dict) -> dict:
    """Every value each key has anywhere in the real packs (to cross rules over)."""
    if isinstance(data, dict):
        for k, v in data.items():
            out.setdefault(k, []).append(v)
            _values(v, out)
    elif isinstance(data, list):
        for v in data:
            _values(v, out)
    return out


PACK_VALUES = {k: v for k, v in _values(list(RULE_PACKS.values()), {}).items() if isinstance(k, str)}
PACK_KEYS = sorted(PACK_VALUES)
PACK_WORDS = ["all", "error", "warning", "info", "FZ990", "FZ101", "document", "measures", "present", "forbid",
              "{match}", "{label}", "{", "}", "{}", "{0}", "{match!r}", "{match:>9}", "(a+)+$", "(a)\\1",
              "(?<=a)b", "[", "03-01", "13-45", "法治政府", "", " ", "1:1 FZ990", "x" * 3]
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-3, 2 ** 65), st.floats(allow_nan=False),
                   st.sampled_from(PACK_WORDS), st.text(max_size=6))
YAMLISH = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(PACK_KEYS), SCALAR), inner, max_size=4)),
    max_leaves=12)


@st.composite
def mutated_pack(draw):
    """A real pack with one of its rules (or its header) mutated a little, so that most
    mutations get past the first check: a value replaced by one the same key has elsewhere or
    by anything YAML-shaped, an item of a list or mapping replaced, a key dropped or added."""
    import copy

    pack = copy.deepcopy(RULE_PACKS[draw(st.sampled_from(sorted(RULE_PACKS)))])
    rule = draw(st.sampled_from(pack["rules"]))
    for _ in range(draw(st.integers(1, 3))):
        target = rule if draw(st.integers(0, 4)) else pack
        op = draw(st.sampled_from(["replace", "replace", "replace", "nested", "nested", "drop", "add"]))
        key = draw(st.sampled_from(sorted(target, key=str)))
        value = draw(st.one_of(st.sampled_from(PACK_VALUES.get(key) or [None]), YAMLISH))
        if op == "replace":
            target[key] = copy.deepcopy(value)
        elif op == "nested" and isinstance(target[key], list) and target[key]:
            target[key][draw(st.integers(0, len(target[key]) - 1))] = draw(YAMLISH)
        elif op == "nested" and isinstance(target[key], dict) and target[key]:
            inner = target[key]
            inner[draw(st.sampled_from(sorted(inner, key=str)))] = draw(YAMLISH)
        elif op == "drop":
            del target[key]
        else:
            target[draw(st.one_of(st.sampled_from(PACK_KEYS), SCALAR))] = draw(YAMLISH)
    return pack


# libyaml's emitter where PyYAML has it: PyYAML's own took ~70% of the loader tests' time
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


YAML_SYNTAX = st.sampled_from(":[]{}!&*'\"\n -#|>%@`,?\t\\")


@st.composite
def mangled_yaml(draw):
    """A real pack's text with YAML's syntax characters spliced in."""
    text = _dump(draw(mutated_pack()))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(YAML_SYNTAX, min_size=1, max_size=4)) + text[at:]
    return text


def _loads_or_pack_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "extra.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            _load_pack(path)
        except PackError as exc:
            assert exc.line >= 1 and str(exc).startswith(f"{path}:{exc.line}: "), exc


LOADER = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LOADER
@given(YAMLISH)
def test_rule_loader_on_any_yaml_data(data):
    _loads_or_pack_error(_dump(data))


@LOADER
@given(st.fixed_dictionaries({"pack": SCALAR, "title": SCALAR, "rules": st.lists(YAMLISH, max_size=3)}))
def test_rule_loader_on_pack_shaped_data(data):
    _loads_or_pack_error(_dump(data))


@LOADER
@given(mutated_pack())
def test_rule_loader_on_mutated_rules(data):
    _loads_or_pack_error(_dump(data))


@LOADER
@given(mangled_yaml())
def test_rule_loader_on_mangled_yaml_text(text):
    _loads_or_pack_error(text)


# ---------------------------------------------------------------------------------------
# 7. the readers: any bytes under any supported name give a Source or a SourceError

import io  # noqa: E402
import zipfile  # noqa: E402

from checker.sources import Source, SourceError, read_bytes  # noqa: E402

SUFFIXES = [".txt", ".md", ".docx", ".pdf", ".html"]


def _docx(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
       b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         b'officeDocument" Target="word/document.xml"/></Relationships>')
SMALL_DOCX = _docx({"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "word/document.xml": (
    f'<?xml version="1.0"?><w:document {_W}><w:body><w:p><w:r><w:t>一、主要举措和成效</w:t></w:r></w:p>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>依法行政</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>').encode()})
WORD_TAGS = ["w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:br", "w:tab", "w:pPr",
             "w:numPr", "w:ilvl", "w:numId", "w:ins", "w:del", "w:hyperlink", "w:fldSimple", "w:rPr", "w:vanish"]


@st.composite
def word_xml(draw):
    """document.xml made of Word's body elements, nested at random, with text and attributes."""
    def element(depth):
        tag = draw(st.sampled_from(WORD_TAGS))
        attrs = draw(st.sampled_from(["", ' w:val="3"', ' w:val="x"', ' w:type="page"']))
        inner = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))))
        text = draw(st.sampled_from(["", "一、", "（一）", "法治", "&amp;", "1."]))
        return f"<{tag}{attrs}>{text}{inner}</{tag}>"
    body = "".join(element(0) for _ in range(draw(st.integers(0, 4))))
    return f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>'.encode()


def _small_pdf() -> bytes:
    from builders.pdf import text_pdf

    return text_pdf([[(72, 100, "一、主要举措和成效"), (72, 130, "全年办理行政复议案件12件。"), (290, 800, "- 1 -")]])


SMALL_PDF = _small_pdf()
SMALL_HTML = ("<html><head><meta charset='gb2312'><title>报告</title></head><body><div id='zoom'>"
              "<p>一、主要举措和成效</p><p>全年依法办理行政复议案件12件。</p></div></body></html>").encode("gb18030")


@st.composite
def mutated(draw, base: bytes):
    """``base`` with bytes flipped, ranges deleted, duplicated or inserted, or cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "flip", "delete", "insert", "dup", "cut"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "dup":
            data[at:at] = data[at:at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


def _source_or_error(data: bytes, suffix: str) -> None:
    try:
        source = read_bytes(data, "report" + suffix)
    except SourceError as exc:
        assert exc.problem in ("unreadable", "undecodable", "empty", "unsupported_format", "encrypted",
                               "no_text", "damaged", "too_large", "too_complex"), exc.problem   # FZ910: a budget
        return
    assert isinstance(source, Source) and isinstance(source.text, str)
    if source.places is not None:   # every line with text has its place (lines as lint counts them)
        assert all(i < len(source.places) for i, ln in enumerate(split_lines(source.text)) if ln.strip())


READERS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@READERS
@given(st.binary(max_size=600), st.sampled_from(SUFFIXES))
def test_readers_on_arbitrary_bytes(data, suffix):
    _source_or_error(data, suffix)


@READERS
@given(st.sampled_from(SUFFIXES), st.data())
def test_readers_on_bytes_that_start_like_the_format(suffix, data):
    head = {".txt": b"\xef\xbb\xbf", ".md": b"\xff\xfe", ".docx": b"PK\x03\x04", ".pdf": b"%PDF-1.7\n",
            ".html": b"<!DOCTYPE html><html><body>"}[suffix]
    _source_or_error(head + data.draw(st.binary(max_size=400)), suffix)


@READERS
@given(st.data())
def test_docx_reader_on_mutated_and_generated_packages(data):
    if data.draw(st.booleans()):
        package = data.draw(mutated(SMALL_DOCX))
    else:
        members = {"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "word/document.xml": data.draw(word_xml())}
        for name in data.draw(st.lists(st.sampled_from(sorted(members)), max_size=1)):
            members[name] = data.draw(st.one_of(st.binary(max_size=40), word_xml()))
        package = _docx(members)
    _source_or_error(package, ".docx")


@READERS
@given(st.data())
def test_pdf_and_html_readers_on_mutated_files(data):
    suffix, base = data.draw(st.sampled_from([(".pdf", SMALL_PDF), (".html", SMALL_HTML), (".txt", SMALL_HTML)]))
    _source_or_error(data.draw(mutated(base)), suffix)


# ---------------------------------------------------------------------------------------
# not_a_report counts Chinese characters on UTF-16 code units: same as the regex definition

@FAST
@given(st.text(st.one_of(ANY_CHAR, st.characters(min_codepoint=0x3300, max_codepoint=0xA100),
                         st.characters(min_codepoint=0xF800, max_codepoint=0xFB00)), max_size=80))
@example("\u33ff\u3400\u9fff\ua000\uf8ff\uf900\ufaff\ufb00\U00020000\ud800")
def test_han_count_is_the_number_of_cjk_ideographs(text):
    from checker.engine.checks.not_a_report import han_count

    assert han_count(text) == len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", text))


@FAST
@given(st.text(RAW_CHARS, max_size=30), st.integers(0, 8))
@example("\u3000 ( 一 ) 加强", 3)
def test_raw_prefix_is_the_raw_text_of_the_first_view_characters(raw, count):
    """Heading.raw_marker walks only the marker's characters; the column map agrees."""
    walked, mapped = Line(1, raw), Line(1, raw)
    n = min(count, len(mapped.text))
    want = mapped.raw[mapped.first_col - 1:mapped.raw_end_col(n) - 1] if n else ""
    assert walked.raw_prefix(count) == want
    assert mapped.raw_prefix(count) == want          # with the column map already built


@FAST
@given(st.text(st.one_of(st.sampled_from(SPECIAL), CJK, ANY_CHAR), max_size=60))
@example("(．)（１）Ｚ建設,；")
@example("😀\U000e0041\ud835\udfd0\U0001d7d0\ud835𠀀\U0002f800")   # beyond the BMP: emoji, tag, lone surrogates
def test_mapping_only_what_is_there_equals_translating_everything(text):
    from checker.skeleton import normalize

    assert normalize._mapped(text) == text.translate(normalize._TABLE)


# ---------------------------------------------------------------------------------------
# the heading numerals: what a check writes as the expected number reads back as that number

from checker.skeleton.model import numeral_text, numeral_value  # noqa: E402


@FAST
@given(st.integers(1, 99))
@example(10)
@example(20)
@example(11)
def test_numeral_text_reads_back(value):
    text = numeral_text(value)
    assert numeral_value(text) == value
    assert "〇" not in text and len(text) <= 3


def test_numeral_text_examples():
    assert [numeral_text(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == \
        ["一", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]


# ---------------------------------------------------------------------------------------
# 8. text that hides from the rules (issue 14): invisible characters inserted anywhere in a
# seed (and inside its keywords), ideographs and digits replaced by their compatibility forms
# (Kangxi radicals, CJK compatibility ideographs, full-width digits): the same findings, each
# at the same original character

import random  # noqa: E402

from checker import _fold  # noqa: E402

INVISIBLE_RANGES = [(ord(_fold.INVISIBLE[i]), ord(_fold.INVISIBLE[i + 1])) for i in range(0, len(_fold.INVISIBLE), 2)]
INVISIBLE_CHAR = st.sampled_from(INVISIBLE_RANGES).flatmap(lambda r: st.integers(*r)).map(chr)
SEED_TEXTS = [p.read_text(encoding="utf-8-sig") for p in SEEDS]


def _compat_forms() -> dict[str, list[str]]:
    """Each ideograph or digit of the seeds -> the compatibility forms the view reads as it."""
    used = {ch for text in SEED_TEXTS for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isdigit()}
    forms: dict[str, list[str]] = {}
    for i in range(0, len(_fold.FOLD), 2):
        form = _fold.FOLD[i]
        ch = view(form)
        if ch in used and ch != form:
            forms.setdefault(ch, []).append(form)
    return forms


COMPAT_FORMS = _compat_forms()
KEYWORD_SPOTS = ["督查", "第一责任", "负责人", "主要举措", "成效", "存在", "不足", "原因", "生效裁判", "安排", "打算",
                 "其他", "报告", "法治政府", "一、", "二、", "（一）", "特此", "年", "月"]


@st.composite
def hidden_seed(draw):
    """(plain, hidden, where): a seed; the same seed with invisible characters inserted at
    random places and inside keywords, and characters replaced by compatibility forms;
    where[i] is the index in ``hidden`` of ``plain[i]``."""
    plain = draw(st.sampled_from(SEED_TEXTS))
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    share = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    chars = [rng.choice(COMPAT_FORMS[c]) if c in COMPAT_FORMS and rng.random() < share else c for c in plain]
    inserts = draw(st.lists(st.tuples(st.integers(0, len(plain)), INVISIBLE_CHAR), max_size=10))
    for word, nth, ch in draw(st.lists(st.tuples(st.sampled_from(KEYWORD_SPOTS), st.integers(0, 40), INVISIBLE_CHAR),
                                       max_size=8)):
        spots = [m.start() for m in re.finditer(re.escape(word), plain)]
        if spots:
            inserts.append((spots[nth % len(spots)] + draw(st.integers(0, len(word))), ch))
    at: dict[int, list[str]] = {}
    for pos, ch in inserts:
        at.setdefault(pos, []).append(ch)
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(chars):
        out.extend(at.get(i, ()))
        where.append(len(out))
        out.append(c)
    out.extend(at.get(len(plain), ()))
    return plain, "".join(out), where


def _starts(text: str) -> list[int]:
    """Offset in ``text`` of the start of each line (1-based line numbers: index 0 unused)."""
    return [0, 0] + [m.end() for m in re.finditer("\n", text)]


def _moved(plain: str, starts: list[int], hidden_starts: list[int], where: list[int], line: int, col: int,
           end: bool) -> tuple[int, int]:
    """Where (line, col) of ``plain`` is in the hidden text: the same visible character (for
    an end column: just past the same one), column 1 of an empty line stays so."""
    offset = starts[line] + col - 1
    if col == 1 and (end or offset >= len(plain) or not view(plain[offset])):
        return line, 1
    moved = where[offset - 1] + 1 if end or offset >= len(plain) or not view(plain[offset]) else where[offset]
    return line, moved - hidden_starts[line] + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hidden_seed())
def test_hidden_text_changes_no_finding(case):
    plain, hidden, where = case
    starts, hidden_starts = _starts(plain), _starts(hidden)
    want = []
    for d in lint_text(plain, "x.txt", REGISTRY).diagnostics:
        s = d.span
        want.append((d.code, *_moved(plain, starts, hidden_starts, where, s.line, s.column, False),
                     *_moved(plain, starts, hidden_starts, where, s.end_line, s.end_column, True)))
    got = [(d.code, d.span.line, d.span.column, d.span.end_line, d.span.end_column)
           for d in lint_text(hidden, "x.txt", REGISTRY).diagnostics]
    assert sorted(got) == sorted(want)
