"""promised_parts: the introduction's promise of N parts, or its list of them, against the parts
the report has.

The introduction is the text before the first top-level heading and the first top-level
section's own paragraphs (before its first sub-heading). A sentence of it matching a
pattern of ``regex`` is a promise: ``{number}`` stands for the count (六, 6, 两: any Arabic
or Chinese numeral) and ``{list}`` for the parts listed (总体情况、主动公开政府信息情况、…).
The list is cut at 、，； except inside a section kind's keyword (行政复议、行政诉讼 is one
part), and each piece is matched to the ``kinds`` (default: all of the pack's) by their
keywords, else by the pack's heading evidence; a piece naming two kinds counts twice. Pieces
before the first that names a kind belong to the sentence (本报告由某办公室编制，包括……); a
list in which fewer than two pieces name a kind is not a list of parts; a list ending in a word
of ``partial`` (等) is not the whole list, so only its pieces are checked, not its length.

The report's parts are its top-level headings outside tables; when their numbers do not rise
(一、二、三、一、二…: rows of a table read as headings) the count is not compared. One finding
per promise, at its number (else its list), naming the first disagreement (``{detail}``):
the count against the list ("导语称六个部分，只列出五个部分"), a listed part without a
heading ("导语列出的“…”在正文中没有对应的部分"), or the count or list against the parts
("导语称六个部分，正文有五个部分"). With ``absent: ignore`` a listed part whose kind the report lacks
altogether, and a count short by exactly the missing kinds, are left to the required_section
rules: the report is missing a part, the introduction is not wrong.
"""

from __future__ import annotations

from checker.engine.checks import _numerals
from checker.engine.checks._common import check_kind, compile_regexes
from checker.engine.context import Context, Finding
from checker.engine.recognize import heading_kind, reported_year
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.model import SENTENCE_END

LIST_TOKEN = "{list}"
LIST_GROUP = "list"
LIST = f"(?P<{LIST_GROUP}>[^{SENTENCE_END}\n]*?)"
SEPARATORS = "、，；"

OPTIONS = {
    "regex": Opt("str_list", required=True,
                 help="RE2 patterns of a promise, each with {number} (the count) and/or {list} (the parts listed)"),
    "kinds": Opt("str_list", help="the section kinds a listed part may be (default: all of the pack's)"),
    "partial": Opt("str_list", help="words ending a list that is not the whole list (等)"),
    "absent": Opt("str", default="report", choices=("report", "ignore"),
                  help="report: a listed part whose kind the report lacks is reported here; ignore: left to "
                       "the required_section rules, and a count short by exactly the missing kinds passes"),
}
PARAMS = ("promised", "listed", "found", "part", "detail")


def prepare(options: dict, pack, lines: dict) -> dict:
    for pattern in options["regex"]:
        if pattern.count(_numerals.TOKEN) > 1 or pattern.count(LIST_TOKEN) > 1 \
                or _numerals.TOKEN not in pattern and LIST_TOKEN not in pattern:
            raise SchemaError(lines["regex"], f"regex 的每个正则表达式应含 {{number}}（部分数）和/或 {{list}}"
                                              f"（所列部分），各至多一个，实际为 {pattern!r}")
    expanded = [_numerals.expand(p).replace(LIST_TOKEN, LIST) for p in options["regex"]]
    options["patterns"] = compile_regexes(expanded, lines["regex"])
    for kind in options["kinds"] or []:
        check_kind(kind, pack, lines["kinds"], "kinds")
    options["partial_words"] = tuple(sorted(options["partial"] or (), key=len, reverse=True))
    return options


def _intro(ctx: Context):
    """The texts of the introduction, in reading order."""
    report = ctx.report
    out = [p.body for p in report.opening]
    if report.sections:
        first = report.sections[0]
        if first.heading.run_in is not None:
            out.append(first.heading.run_in)
        out.extend(p.body for p in first.paragraphs)
    return out


def _kinds(ctx: Context, opts: dict):
    pack = ctx.pack
    if pack is None:
        return []
    names = opts["kinds"] or [k.kind for k in pack.section_kinds]
    return [pack.kind(name) for name in names if name in pack.kind_names]


def _pieces(text: str, kinds, ctx: Context, year) -> list[tuple[str, list[str]]]:
    """(piece, the kinds it names) for each listed part, in order."""
    hits = []
    for sk in kinds:
        for word in sk.any:
            at = text.find(word)
            while at >= 0:
                hits.append((at, at + len(word), sk))
                at = text.find(word, at + 1)
    inside = {i for start, end, _ in hits for i in range(start, end)}
    out = []
    start = 0
    for i in range(len(text) + 1):
        if i < len(text) and (text[i] not in SEPARATORS or i in inside):
            continue
        piece = text[start:i]
        if piece:
            named, last = [], start
            for s, e, sk in sorted(h for h in hits if start <= h[0] and h[1] <= i):
                if s >= last and sk.kind not in named and not any(x in piece for x in sk.exclude):
                    named.append(sk.kind)
                    last = e
            if not named:
                kind = heading_kind(piece, ctx.pack, year)
                if kind is not None and kind in {sk.kind for sk in kinds}:
                    named.append(kind)
            out.append((piece, named))
        start = i + 1
    return out


def _parts(ctx: Context) -> list | None:
    """The report's parts (top-level sections outside tables), None when their numbers do not
    rise (the count cannot be trusted) or there are none."""
    tables = [(t.first_line, t.last_line) for t in ctx.report.tables]
    parts = [s for s in ctx.report.sections
             if not any(a <= s.heading.line.no <= b for a, b in tables)]
    try:
        values = [s.heading.value for s in parts]
    except (KeyError, ValueError):
        return None
    if not parts or any(b <= a for a, b in zip(values, values[1:])):
        return None
    return parts


def _present(ctx: Context, kind: str) -> bool:
    return bool(ctx.sections(kind) or ctx.loose_headings(kind))


def _has_heading(ctx: Context, piece: str) -> bool:
    """An unrecognised listed part: some heading holds its words, or it holds the heading's."""
    for section in ctx.report.walk():
        title = section.heading.title.text
        if title and (piece in title or title in piece):
            return True
    return False


def check(rule, ctx: Context):
    opts = rule.options
    year = reported_year(ctx.report)
    kinds = _kinds(ctx, opts)
    for text in _intro(ctx):
        taken: list[tuple[int, int]] = []
        for pattern in opts["patterns"]:
            for m in pattern.finditer(text.text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                finding = _judge(ctx, opts, kinds, year, text, pattern, m)
                if finding is not None:
                    yield finding


def _judge(ctx: Context, opts, kinds, year, text, pattern, m) -> Finding | None:
    index = pattern.groupindex
    number = m.group(index[_numerals.GROUP]) if _numerals.GROUP in index else None
    if number and text.text[:m.start(index[_numerals.GROUP])].endswith(_numerals.ORDINAL):
        return None      # 第六部分 names a part, it does not count them
    promised = _numerals.read(number) if number else None
    listed = None
    partial = False
    if LIST_GROUP in index and m.group(index[LIST_GROUP]):
        words = m.group(index[LIST_GROUP]).rstrip(SEPARATORS)
        for word in opts["partial_words"]:
            if words.endswith(word):
                words, partial = words[:-len(word)], True
                break
        pieces = _pieces(words, kinds, ctx, year)
        # what comes before the first part is the sentence's own (本报告由某办公室编制，包括……)
        while pieces and not pieces[0][1]:
            pieces.pop(0)
        if sum(1 for _, named in pieces if named) >= 2:
            listed = pieces
    if promised is None and listed is None:
        return None
    count = sum(max(len(named), 1) for _, named in listed) if listed is not None else None
    parts = _parts(ctx)
    found = len(parts) if parts is not None else None
    ignore = opts["absent"] == "ignore"
    relevant = [k for _, named in listed for k in named] if listed is not None else [k.kind for k in kinds]
    missing = sum(1 for k in dict.fromkeys(relevant) if not _present(ctx, k))
    detail = part = None
    if promised is not None and count is not None and not partial and count != promised:
        how = "只列出" if count < promised else "却列出"
        detail = f"导语称{_numerals.write(promised)}个部分，{how}{_numerals.write(count)}个部分"
    for piece, named in listed if detail is None and listed is not None else ():
        absent = [k for k in named if not _present(ctx, k)] if named else \
            ([] if _has_heading(ctx, piece) else [None])
        if absent and not (ignore and named):
            part = piece
            detail = f"导语列出的“{piece}”在正文中没有对应的部分"
            break
    expected = promised if promised is not None else (count if not partial else None)
    if detail is None and expected is not None and found is not None and expected != found \
            and not (ignore and expected == found + missing):
        said = "称" if promised is not None else "列出"
        detail = f"导语{said}{_numerals.write(expected)}个部分，正文有{_numerals.write(found)}个部分"
    if detail is None:
        return None
    if number:
        begin, end = m.span(index[_numerals.GROUP])
    else:
        begin, end = m.span(index[LIST_GROUP])
    return Finding(text.span(begin, end),
                   {"promised": _numerals.write(promised) if promised is not None else "",
                    "listed": _numerals.write(count) if count is not None else "",
                    "found": _numerals.write(found) if found is not None else "",
                    "part": part or "", "detail": detail})
