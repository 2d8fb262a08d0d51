"""Text that hides from the rules (issue 14): the matching view drops every invisible
character and reads compatibility forms (Kangxi radicals, CJK compatibility ideographs ...) as
the characters they stand for, while positions still point at the raw characters.

The tables come from scripts/gen_fold.py (checker/_fold.py); the tests here check them
against the running Python's unicodedata, so a broken regeneration shows. The property tests
(any invisible character anywhere in a seed, any character replaced by a compatibility form)
are in tests/test_properties.py, the catalogue cases in tests/test_bad_inputs.py.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from checker import _fold, sources
from checker.lint import lint_source, lint_text
from checker.skeleton.normalize import _TABLE, Line, lines_of, split_lines, view
from checker.skeleton.parser import parse

from builders.pdf import build_pdf
from conftest import SEEDS, SMALL_REPORT

LISTED = [0x00AD, 0x034F, 0xFE0F, 0xE0100, 0x180E, 0x200E, 0x200F, *range(0x202A, 0x202F),
          *range(0x2061, 0x2065), 0x3164, 0x2800, 0xE0041]
INVISIBLE = {cp for i in range(0, len(_fold.INVISIBLE), 2)
             for cp in range(ord(_fold.INVISIBLE[i]), ord(_fold.INVISIBLE[i + 1]) + 1)}
UNIFIED = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x323AF)]   # CJK unified ideographs
TO_KANGXI = str.maketrans({unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)})


def mapped(ch: str) -> str:
    """What the view makes of one character in the middle of a line ('' if dropped)."""
    return view("x" + ch + "x")[1:-1]


# ---------------------------------------------------------------------------------------
# Invisible characters


@pytest.mark.parametrize("cp", LISTED, ids=lambda cp: f"U+{cp:04X}")
def test_listed_invisible_characters_are_dropped_and_positions_kept(cp):
    ch = chr(cp)
    raw = f"{ch}　按照《责任落实督{ch}查工作规定》{ch}"
    line = Line(1, raw)
    assert line.text == "按照《责任落实督查工作规定》" == lines_of(raw)[0].text
    for i, want in enumerate(line.text):   # every view character points at its raw character
        assert raw[line.raw_col(i) - 1].translate(_TABLE) == want
    assert line.first_col == 3 and line.end_col == len(raw)
    assert line.raw_prefix(2) == "按照"


@pytest.mark.parametrize("cp", LISTED, ids=lambda cp: f"U+{cp:04X}")
def test_an_invisible_character_hides_no_misnomer(cp, registry):
    hidden = SMALL_REPORT.replace("督查", "督" + chr(cp) + "查")
    found = [(d.code, d.span.line, d.span.column, d.span.end_column)
             for d in lint_text(hidden, "x.txt", registry).diagnostics if d.code == "FZ501"]
    assert found == [("FZ501", 3, 38, 45), ("FZ501", 9, 24, 31)]   # 责任落实督查 and the character inside it


def test_an_invisible_character_inside_first_responsible_gives_no_false_finding(registry):
    plain = lint_text(SMALL_REPORT, "x.txt", registry).diagnostics
    hidden = SMALL_REPORT.replace("责任人", "责\u200f任\u2062人").replace("负责", "负\u202a责\u202c")
    assert hidden.count("\u200f") == 1 and hidden.count("\u202a") == 2
    got = lint_text(hidden, "x.txt", registry).diagnostics
    assert [(d.code, d.span.line, d.span.column) for d in got] == [(d.code, d.span.line, d.span.column) for d in plain]
    assert "FZ201" not in {d.code for d in got} and "FZ103" not in {d.code for d in got}


def test_the_dropped_set_is_every_invisible_format_character():
    """Derived from properties, not a hand list: every format character (Cf) but the visible
    prepended signs and annotation marks, every variation selector, the Hangul fillers, the
    tag characters, U+2800; no white space (str.split drops that) and nothing visible."""
    visible_cf = ("ARABIC ", "SYRIAC ", "KAITHI ", "EGYPTIAN HIEROGLYPH ", "INTERLINEAR ANNOTATION ")
    for cp in range(0x110000):
        ch = chr(cp)
        name = unicodedata.name(ch, "")
        if unicodedata.category(ch) == "Cf" and not name.startswith(visible_cf):
            assert cp in INVISIBLE, f"U+{cp:04X} {name}"
        if "VARIATION SELECTOR" in name or name.startswith("HANGUL") and name.endswith("FILLER") \
                or 0xE0000 <= cp <= 0xE0FFF:
            assert cp in INVISIBLE, f"U+{cp:04X} {name}"
        if cp in INVISIBLE:
            assert not ch.isspace()
            assert unicodedata.category(ch) in ("Cf", "Mn", "Cn") or name.endswith("FILLER") or cp == 0x2800, name
            assert _TABLE[cp] is None


# ---------------------------------------------------------------------------------------
# Compatibility forms


@pytest.mark.parametrize(("raw", "want"), [
    ("\u2f00", "一"), ("\u2f08", "人"), ("第\u2f00责任\u2f08", "第一责任人"),
    ("\u2ed3\u2ed4", "长门"),                       # CJK Radicals Supplement (no NFKC form)
    ("\u2fa8", "门"),                               # ⾨ -> 門 -> 门 (traditional -> simplified)
    ("\u31d0、", "一、"),                           # CJK stroke H
    ("\uf967\uf9d1", "不六"),                       # CJK compatibility ideographs
    ("\uff08\u2f00\uff09", "（一）"), ("\ufe59\u2f00\ufe5a", "（一）"), ("\ufe35\u2f00\ufe36", "（一）"),
    ("\u2f00\uff64", "一、"), ("１．", "1."), ("Ｚ", "Z"), ("\U0001d7d0\U0001d7ce", "20"),
    ("①②", "①②"), ("²", "²"), ("Ⅰ", "Ⅰ"), ("㈠", "㈠"),   # number forms stay what they are
    ("＊", "＊"),                                   # NFKC would make it the "*" the view drops
])
def test_compatibility_forms_become_their_characters(raw, want):
    assert view(raw) == want == lines_of(raw)[0].text


def test_every_kangxi_radical_reads_as_its_ideograph():
    for cp in range(0x2F00, 0x2FD6):
        assert mapped(chr(cp)) == mapped(unicodedata.normalize("NFKC", chr(cp))), f"U+{cp:04X}"
        assert "\u4e00" <= mapped(chr(cp)) <= "\u9fff"


def test_every_fold_agrees_with_unicode():
    """Each folded character is its NFKC form, or (radicals and strokes) a unified ideograph."""
    for i in range(0, len(_fold.FOLD), 2):
        src, dst = _fold.FOLD[i], _fold.FOLD[i + 1]
        if 0x2E80 <= ord(src) <= 0x2FDF or 0x31C0 <= ord(src) <= 0x31EF:
            assert any(a <= ord(dst) <= b for a, b in UNIFIED), f"U+{ord(src):04X}"
            assert unicodedata.normalize("NFKC", src) in (src, dst)
        else:
            assert unicodedata.normalize("NFKC", src) == dst, f"U+{ord(src):04X}"
        assert mapped(src) == mapped(dst)


@pytest.mark.parametrize(("first", "last"), [(0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
                                             (0xFF01, 0xFF5E), (0xFF61, 0xFFDC), (0xFE10, 0xFE19), (0xFE30, 0xFE6B)])
def test_compatibility_blocks_are_complete(first, last):
    for cp in range(first, last + 1):
        ch = chr(cp)
        nfkc = unicodedata.normalize("NFKC", ch)
        if len(nfkc) == 1 and nfkc != ch and nfkc != "*" and not nfkc.isspace():
            assert mapped(ch) == mapped(nfkc), f"U+{cp:04X} {unicodedata.name(ch, '')}"


def test_the_view_is_a_fixed_point():
    """What the view makes of a character, it leaves alone: rule keywords pass through the
    view too, so view(view(s)) must be view(s)."""
    for key, value in _TABLE.items():
        if value is not None:
            assert value.translate(_TABLE) == value, (hex(key), value)
    assert not (set(_TABLE) & {ord(c) for c in "*#>"}) and all(v is None or not v.isspace() for v in _TABLE.values())


def test_kangxi_numerals_are_headings():
    text = ("平安县司法局2023年度法治政府建设情况报告\n\u2f00、主要举措和成效\n（\u2f00）加强领导\n全年办理案件12件。\n"
            "\u2f06、存在的不足和原因\n执法力量不足，原因是编制偏少。\n")
    report = parse(text)
    assert [(s.heading.level, s.heading.number, s.heading.raw_marker) for s in report.walk()] == [
        (1, "一", "\u2f00、"), (2, "一", "（\u2f00）"), (1, "二", "\u2f06、")]
    assert report.sections[0].heading.display == "主要举措和成效"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_a_pdf_text_layer_of_kangxi_radicals_gives_the_findings_of_the_plain_pdf(seed, registry, tmp_path):
    """The PDF fixture drawn with ⼀⼆⼈⼤⼯⼒… for 一二人大工力… (as some PDF producers
    write them): the same findings at the same places as the same PDF drawn plainly."""
    text = seed.read_text(encoding="utf-8")
    assert text.translate(TO_KANGXI) != text
    got = {}
    for name, body in (("plain", text), ("kangxi", text.translate(TO_KANGXI))):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(build_pdf(body))
        source = sources.read(path)
        if name == "kangxi":
            assert any("\u2f00" <= ch <= "\u2fd5" for ch in source.text)   # the text layer really has them
        got[name] = [(d.code, d.span, d.where) for d in lint_source(source, registry).diagnostics]
    assert got["kangxi"] == got["plain"]


# The whole file's view takes a str.replace path when the text has none of the rare
# characters (normalize._UNUSUAL): the same views as line by line, whichever path a file takes.
_USUAL = ("一、主要举措, 成效 (一)加强领导;\n\u3000\u3000正文: 内容*强调*。\n## 二、存在的问题\n"
          "> 引用, 内容\n*# 不是标题\n")


@pytest.mark.parametrize("extra", ["", *sorted({chr(c) for c in range(0x3001) if chr(c).isspace()} - {"\n"}),
                                   "＃", "國", "⼀", "\u200b", "\U000e0041", "（"])
def test_the_whole_file_view_is_the_view_of_each_line_on_either_path(extra):
    text = _USUAL.replace("正文", "正" + extra + "文").replace("## 二", extra + "## 二")
    assert [line.text for line in lines_of(text)] == [view(r) for r in split_lines(text)]


def test_the_rare_spaces_are_every_other_space():
    """normalize._OTHER_SPACE lists the spaces a usual text has none of: all that
    str.isspace() accepts but " ", U+3000 and the line break."""
    import re
    import sys

    from checker.skeleton.normalize import _OTHER_SPACE

    listed = re.compile(f"[{_OTHER_SPACE}]")
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" ", "\u3000", "\n"}
    assert {chr(c) for c in range(sys.maxunicode + 1) if listed.match(chr(c))} == spaces


def test_the_astral_first_halves_are_those_of_the_tables_keys():
    """normalize._ASTRAL_FIRST_HALVES (generated into checker/_view.py): the same halves as
    encoding every key of the table beyond the BMP."""
    from checker.skeleton import normalize

    assert set(normalize._ASTRAL_FIRST_HALVES) == {chr(k).encode("utf-16-le")[:2] for k in _TABLE if k > 0xFFFF}


class _Text(str):
    pass


@pytest.mark.parametrize("text", ["", "a", "法治" * 40, "a\U000e0041b" + "法治" * 40, "\U0002f800",
                                  "法\U0001f600治" * 30, "\ud83d" + "法治" * 40])
@pytest.mark.parametrize("make", [str, _Text])
def test_the_astral_check_finds_every_astral_key(text, make):
    """normalize._may_have_astral_keys tells a text without characters beyond the BMP by its
    size alone (sys.getsizeof); a text with one is still looked at, a subclass of str too."""
    from checker.skeleton import normalize

    text = make(text)
    keys = {chr(k) for k in _TABLE if k > 0xFFFF}
    if any(c in keys for c in text):
        assert normalize._may_have_astral_keys(text)
    if not any(ord(c) > 0xFFFF for c in text) and type(text) is str and make is str:
        assert not normalize._may_have_astral_keys(text)


@pytest.mark.parametrize("text", ["法治政府建設", "國", "\u2f00、", "（一）", "督\u00ad查", "a\U000e0041b", "x" * 16,
                                  ""])
def test_a_short_text_is_mapped_by_the_table_alone(text):
    """A text of at most 16 characters is translated in one go (a keyword of a pack), a
    longer one run by run: the same mapping."""
    from checker.skeleton import normalize

    padded = text + "。" * 20
    assert normalize._mapped(text) == text.translate(_TABLE) == normalize._mapped(padded)[:-20]


def test_the_generated_view_table_is_what_the_script_makes_of_the_current_tables():
    """checker/_view.py holds the view's table in its final form (scripts/gen_view.py, from
    checker/_fold.py and checker/_t2s.py); regenerated tables without it fail here. And the
    table loaded from it is the one the script computes."""
    import runpy

    from checker.skeleton import normalize

    root = Path(__file__).resolve().parent.parent
    script = runpy.run_path(str(root / "scripts" / "gen_view.py"))
    assert (root / "checker" / "_view.py").read_text(encoding="utf-8") == script["source"]()
    assert normalize._TABLE == script["table"]()
    assert normalize._TABLE[ord("薴")] == "苎" and normalize._TABLE[ord("\ufe59")] == "（"
    assert normalize._TABLE[0xE0001] is None and normalize._TABLE[ord("\u200b")] is None
