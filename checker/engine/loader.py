"""Load and validate one YAML rule pack into a :class:`checker.engine.pack.Pack`.

Every problem in a pack is a :class:`PackError` naming the file, the line and what is wrong;
the file is read without blocking and with a size limit (a pack folder may hold anything a
*.yaml name can).
"""

from __future__ import annotations

import re
from pathlib import Path

from checker.diagnostics import Severity
from checker.digest import sha256
from checker.engine.checks import CHECK_TYPES
from checker.engine.checks._common import compile_regexes
from checker.engine.pack import (
    Condition,
    Cue,
    Init,
    InitLine,
    InitPart,
    KindEvidence,
    MatrixColumn,
    Pack,
    PackError,
    Recognition,
    Rule,
    SectionKind,
)
from checker.engine.schema import Opt, SchemaError, validate
from checker.engine.yamlload import LDict, LList, YamlError, load_cached
from checker.fileio import NotRegular, TooLarge, read_regular
from checker.oserror import reason
from checker.resources import MAX_PACK_BYTES
from checker.skeleton.normalize import keywords

PREFIX_RE = re.compile(r"[A-Z]{2,6}$")     # a pack's code prefix: FZ, FZG, ...
RECOGNITION_WANT = re.compile(r"[1-9][0-9]* [a-z_][a-z0-9_]*$")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_TITLE_CHARS = 20     # a rule's title: a label of the HTML chart (20 characters fit its 272 px), a table cell
TEST_KEYS = {"name", "input", "input_hex", "filename", "missing", "max_file_size", "want"}


PACK_SCHEMA = {
    "pack": Opt("str", required=True),
    "title": Opt("str", required=True),
    "applies_to": Opt("str", choices=("all",)),
    "default": Opt("bool", default=False),
    "detect": Opt("str_list"),
    "section_order": Opt("str_list"),
    "code_prefix": Opt("str", default="FZ", help="rule ids are this prefix and three digits"),
    "legend": Opt("str", help="what the matrix columns of this kind are"),
    "deadline": Opt("str", help="MM-DD after the reported year by which the report is due"),
    "signals": Opt("str_list", help="words that reports of this kind use"),
}
# validated below
PACK_STRUCTURED = ("section_kinds", "phrases", "rules", "matrix", "recognition", "init", "text_tables")
MATRIX_SCHEMA = {"label": Opt("str", required=True), "rules": Opt("str_list", required=True)}
TEXT_TABLE_SCHEMA = {
    "figures": Opt("int", required=True, help="columns of figures under the header"),
    "header": Opt("list", required=True, help="the header's cells, row by row"),
}
HEADER_CELL_SCHEMA = {
    "text": Opt("str", required=True),
    "row": Opt("int", default=0, help="the cell's row in the header, from 0"),
    "column": Opt("int", help="its column among the figure columns, from 0; absent: over the label columns"),
    "span": Opt("int", default=1, help="figure columns it spans"),
    "within": Opt("bool", default=False, help="found inside a longer line (a corner's note), optional"),
}
KIND_SCHEMA = {
    "kind": Opt("str", required=True),
    "label": Opt("str", required=True),
    "any": Opt("str_list", required=True),
    "exclude": Opt("str_list"),
    "suggest": Opt("str"),
}
PHRASES = ("before", "after", "none")
RECOGNITION_SCHEMA = {
    "threshold": Opt("int", required=True),
    "margin": Opt("int", default=1),
    "position": Opt("int", default=0),
    "next_year": Opt("str_list"),
}
RECOGNITION_STRUCTURED = ("kinds", "tests")
EVIDENCE_SCHEMA = {"kind": Opt("str", required=True)}
CUE_SCHEMA = {
    "any": Opt("str_list"),
    "all": Opt("str_lists"),
    "year": Opt("str", choices=("next",)),
    "weight": Opt("signed_int", required=True),
    "max": Opt("int", default=1),
}
CITATION_SCHEMA = {
    "source": Opt("str"), "article": Opt("str"), "quote": Opt("str"), "practice": Opt("str"),
}


def _require(cond: bool, line: int, message: str) -> None:
    if not cond:
        raise SchemaError(line, message)


def read_pack(path: Path) -> bytes:
    """The bytes of a rule pack. The file is opened without blocking (a FIFO named *.yaml
    has no writer to wait for) and checked once open: only a regular file (a symlink to one
    too) of at most :data:`MAX_PACK_BYTES` is read. Raises :class:`PackError` otherwise."""
    try:
        return read_regular(path, MAX_PACK_BYTES)
    except NotRegular as exc:
        raise PackError(path, 1, f"规则包不是普通文件，而是{exc.kind}，未读取；"
                                 "请把规则包保存为普通的 .yaml 文件") from None
    except TooLarge:
        raise PackError(path, 1, f"规则包超过 {MAX_PACK_BYTES // (1024 * 1024)} MB，未读取："
                                 "规则包通常只有几十 KB，请检查是否放错了文件") from None
    except OSError as exc:
        raise PackError(path, 1, f"无法读取规则包（{reason(exc, path=path)}）") from None


def _load_pack(path: Path) -> Pack:
    raw = read_pack(path)
    digest = sha256(raw).hexdigest()
    try:
        data = load_cached(raw, digest)
    except UnicodeDecodeError as exc:
        raise PackError(path, raw.count(b"\n", 0, exc.start) + 1,
                        f"规则包不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码），请另存为 UTF-8") from None
    except YamlError as exc:
        raise PackError(path, exc.line, exc.message) from None
    try:
        pack = _build_pack(path, data)
    except SchemaError as exc:
        raise PackError(path, exc.line, exc.message) from None
    pack.digest = digest
    return pack


def _build_pack(path: Path, data) -> Pack:
    _require(isinstance(data, LDict), 1, "规则包顶层应为映射（pack、title、rules 等）")
    top = validate(data, PACK_SCHEMA, "规则包", PACK_STRUCTURED)

    kinds: list[SectionKind] = []
    raw_kinds = data.get("section_kinds", [])
    _require(isinstance(raw_kinds, list), data.line_of("section_kinds"), "section_kinds 应为列表")
    for item in raw_kinds:
        _require(isinstance(item, LDict), data.line_of("section_kinds"), "section_kinds 的每项应为映射")
        v = validate(item, KIND_SCHEMA, "部分类型")
        _require(v["kind"] not in [k.kind for k in kinds], item.line, f"部分类型“{v['kind']}”重复")
        kinds.append(SectionKind(v["kind"], v["label"], keywords(v["any"]), keywords(v["exclude"] or []),
                                 v["suggest"] or v["label"]))
    names = [k.kind for k in kinds]
    order = top["section_order"] or []
    for kind in order:
        _require(kind in names, data.line_of("section_order"), f"section_order 中的“{kind}”不是已定义的部分类型")

    phrases = data.get("phrases", {})
    if kinds:
        _require(isinstance(phrases, LDict) and all(isinstance(phrases.get(p), str) for p in PHRASES),
                 data.line_of("phrases"), f"phrases 应为映射，且包含字符串 {'、'.join(PHRASES)}")
        for p in PHRASES:
            _check_placeholders(phrases[p], ("heading",), phrases.line_of(p), f"phrases.{p}", "可用")
        if "candidate" in phrases:
            _require(isinstance(phrases["candidate"], str), phrases.line_of("candidate"),
                     "phrases.candidate 应为字符串")
            _check_placeholders(phrases["candidate"], ("heading", "suggest"), phrases.line_of("candidate"),
                                "phrases.candidate", "可用")
    _require(bool(PREFIX_RE.match(top["code_prefix"])), data.line_of("code_prefix"),
             "code_prefix 应为 2 到 6 个大写字母（如 FZ、FZG）")
    if top["deadline"] is not None:
        _require(_is_month_day(top["deadline"]), data.line_of("deadline"),
                 f"deadline 应为 MM-DD 形式的日期，如 04-01，实际为 {top['deadline']!r}")
    pack = Pack(
        name=top["pack"], path=str(path), title=top["title"],
        applies_to_all=top["applies_to"] == "all", default=top["default"],
        detect=keywords(top["detect"] or []), section_kinds=kinds, section_order=order,
        phrases=dict(phrases) if isinstance(phrases, dict) else {},
        code_prefix=top["code_prefix"], legend=top["legend"] or "", deadline=top["deadline"],
        signals=keywords(top["signals"] or []),
    )
    if "recognition" in data:
        pack.recognition = _build_recognition(data["recognition"], data.line_of("recognition"), pack)
    if "init" in data:
        pack.init = _build_init(data["init"], data.line_of("init"), pack)
    rules = data.get("rules")
    _require(isinstance(rules, list) and len(rules) > 0, data.line_of("rules"), "rules 应为非空列表")
    for item in rules:
        _require(isinstance(item, LDict), rules.line, "rules 的每项应为映射")
        pack.rules.append(_build_rule(path, item, pack))
    pack.matrix = _build_matrix(data, pack)
    if "text_tables" in data:
        pack.text_tables = _build_text_tables(data["text_tables"], data.line_of("text_tables"))
    return pack


def _build_text_tables(raw, line: int) -> tuple:
    """The pack's ``text_tables``: headers of its report kind's tables as a web page copied
    as text writes them, one cell a line (checker/skeleton/tables.py: TextLayouts)."""
    _require(isinstance(raw, list) and len(raw) > 0 and all(isinstance(t, LDict) for t in raw), line,
             "text_tables 应为非空列表，每项是含 figures 与 header 的映射")
    out = []
    for item in raw:
        v = validate(item, TEXT_TABLE_SCHEMA, "text_tables 的表头")
        _require(v["figures"] >= 1, item.line_of("figures"), "text_tables：figures（数字列数）应为正整数")
        cells = []
        header = item["header"]
        for k, cell in enumerate(header):
            at = header.line_of(k) if isinstance(header, LList) else item.line_of("header")
            _require(isinstance(cell, LDict), at,
                     "text_tables：header 的每项应为映射（text、row、column、span、within）")
            c = validate(cell, HEADER_CELL_SCHEMA, "text_tables 的表头单元格")
            _require(bool(keywords([c["text"]])), cell.line_of("text"), "text_tables：单元格的 text 不能只有空白")
            _require(c["span"] >= 1, cell.line_of("span"), "text_tables：span 应为正整数")
            if c["column"] is not None:
                _require(c["column"] + c["span"] <= v["figures"], cell.line_of("column"),
                         f"text_tables：单元格“{c['text']}”的 column + span 超出了 figures（{v['figures']}）列")
            cells.append((c["text"], c["row"], c["column"], c["span"], c["within"]))
        _require(any(not c[4] for c in cells), item.line_of("header"),
                 "text_tables：表头至少要有一个不带 within 的单元格（独占一行的文字）")
        out.append((tuple(cells), v["figures"]))
    return tuple(out)


def _is_month_day(text: str) -> bool:
    import datetime as dt

    month, dash, day = text[:2], text[2:3], text[3:]
    try:     # as re.fullmatch(r"(\d{2})-(\d{2})", text): \d is str.isdecimal
        return (dash == "-" and len(month) == len(day) == 2 and month.isdecimal() and day.isdecimal()
                and bool(dt.date(2001, int(month), int(day))))
    except ValueError:
        return False


def _build_cues(raw, line: int, owner: str) -> tuple[Cue, ...]:
    _require(isinstance(raw, list) and all(isinstance(c, LDict) for c in raw), line,
             f"{owner} 应为列表，每项是含 any 或 all 与 weight 的映射")
    cues = []
    for item in raw:
        v = validate(item, CUE_SCHEMA, owner)
        _require(not (v["any"] is not None and v["all"] is not None)
                 and (v["any"] is not None or v["all"] is not None or v["year"] is not None), item.line,
                 f"{owner}：每项需要 any 或 all 之一（只写 year 时表示写明了下一年度）")
        _require(v["max"] >= 1, item.line_of("max"), f"{owner}：max 应为正整数")
        cues.append(Cue(any=keywords(v["any"] or []), all=tuple(keywords(g) for g in v["all"] or []),
                        year=v["year"], weight=v["weight"], max=v["max"]))
    return tuple(cues)


def _build_recognition(raw, line: int, pack: Pack) -> Recognition:
    """The pack's ``recognition``: evidence per kind for headings that name no kind."""
    _require(isinstance(raw, LDict), line, "recognition 应为映射（threshold、kinds 等）")
    v = validate(raw, RECOGNITION_SCHEMA, "recognition", RECOGNITION_STRUCTURED)
    _require(v["threshold"] >= 1, raw.line_of("threshold"), "recognition.threshold 应为正整数")
    kinds = raw.get("kinds")
    _require(isinstance(kinds, list) and len(kinds) > 0, raw.line_of("kinds"), "recognition.kinds 应为非空列表")
    evidence = []
    for item in kinds:
        _require(isinstance(item, LDict), raw.line_of("kinds"),
                 "recognition.kinds 的每项应为映射（kind、heading、body）")
        e = validate(item, EVIDENCE_SCHEMA, "recognition.kinds", ("heading", "body"))
        _require(e["kind"] in pack.kind_names, item.line_of("kind"),
                 f"recognition.kinds 中的“{e['kind']}”不是已定义的部分类型（可用：{'、'.join(pack.kind_names)}）")
        _require(e["kind"] not in [k.kind for k in evidence], item.line_of("kind"),
                 f"recognition.kinds 中的“{e['kind']}”重复")
        owner = f"recognition.kinds 中 {e['kind']} 的"
        evidence.append(KindEvidence(
            e["kind"],
            heading=_build_cues(item.get("heading", []), item.line_of("heading"), owner + " heading"),
            body=_build_cues(item.get("body", []), item.line_of("body"), owner + " body")))
    tests = raw.get("tests", [])
    _validate_recognition_tests(tests, raw.line_of("tests"), pack)
    return Recognition(threshold=v["threshold"], margin=v["margin"], position=v["position"],
                       next_year=keywords(v["next_year"] or []), kinds=tuple(evidence), tests=tuple(tests))


def _validate_recognition_tests(tests, line: int, pack: Pack) -> None:
    """``tests``: reports (``input``) and what each listed heading line must be taken for
    (``want``: "LINE KIND", or "LINE none" for a heading that must stay unclassified)."""
    _require(isinstance(tests, list), line, "recognition.tests 应为列表")
    for case in tests:
        _require(isinstance(case, LDict) and isinstance(case.get("name"), str)
                 and isinstance(case.get("input"), str), line,
                 "recognition.tests 的每项应为含 name、input、want 的映射")
        unknown = set(case) - {"name", "input", "want"}
        _require(not unknown, case.line, f"recognition.tests 中有未知的键 {'、'.join(sorted(map(str, unknown)))}")
        want = case.get("want")
        _require(isinstance(want, list) and len(want) > 0 and all(
                     isinstance(w, str) and RECOGNITION_WANT.match(w)
                     and w.split()[1] in [*pack.kind_names, "none"] for w in want),
                 case.line_of("want"),
                 f"recognition.tests 的 want 应为列表，"
                 f"每项形如 \"3 {pack.kind_names[0]}\"（行号 部分类型）或 \"3 none\"")


# `init:`: the skeleton `fzlint init` writes (checker/scaffold.py)
INIT_SCHEMA = {
    "title": Opt("str", required=True, help="the title: {org}, {year}, {next_year}"),
    "placeholder": Opt("str", default="【请填写：{hint}】", help="how a gap to fill is written: {hint}"),
    "date": Opt("str", help="MM-DD of the year after the reported one; default: the day before `deadline`"),
    "signature": Opt("str", default="{org}", help="the signature"),
}
INIT_STRUCTURED = ("opening", "parts", "closing")
INIT_PART_SCHEMA = {"heading": Opt("str"), "body": Opt("list")}
INIT_LINE_SCHEMA = {"text": Opt("str"), "fill": Opt("str"), "heading": Opt("str"),
                    "table": Opt("str_list", help="a table: its rows, cells separated by |")}
INIT_FIELDS = ("org", "year", "next_year")


def _build_init(raw, line: int, pack: Pack) -> Init:
    """The pack's ``init``: title, placeholder, date, signature, and lines of the opening, of
    each part of ``section_order`` (a mapping by kind: heading and body) and of the closing."""
    _require(isinstance(raw, LDict), line, "init 应为映射（title、parts 等）")
    v = validate(raw, INIT_SCHEMA, "init", INIT_STRUCTURED)
    for key in ("title", "signature"):
        _check_placeholders(v[key], INIT_FIELDS, raw.line_of(key), f"init.{key}", "可用")
    _check_placeholders(v["placeholder"], ("hint",), raw.line_of("placeholder"), "init.placeholder", "可用")
    _require("{hint}" in v["placeholder"], raw.line_of("placeholder"),
             "init.placeholder 应含 {hint}（要填写的内容的说明），如 【请填写：{hint}】")
    if v["date"] is not None:
        _require(_is_month_day(v["date"]), raw.line_of("date"),
                 f"init.date 应为 MM-DD 形式的日期，如 03-15，实际为 {v['date']!r}")
    else:
        _require(pack.deadline is not None, raw.line,
                 "init 需要 date（成文日期的 MM-DD），或规则包的 deadline（取其前一日）")
    order = pack.section_order or pack.kind_names
    parts_raw = raw.get("parts", {})
    _require(isinstance(parts_raw, dict), raw.line_of("parts"),
             f"init.parts 应为映射：部分类型（{'、'.join(order)}）-> heading、body")
    for kind in parts_raw:
        _require(kind in order, parts_raw.line_of(kind),
                 f"init.parts 中的“{kind}”不是 section_order 中的部分类型（可用：{'、'.join(order)}）")
    parts = []
    for kind in order:
        label = pack.kind(kind).label
        spec = parts_raw.get(kind)
        if spec is None:                  # the kind's label, and a line to fill with what it is
            parts.append(InitPart(kind, label, (InitLine(fill=label),)))
            continue
        _require(isinstance(spec, LDict), parts_raw.line_of(kind), f"init.parts.{kind} 应为映射（heading、body）")
        p = validate(spec, INIT_PART_SCHEMA, f"init.parts.{kind}")
        heading = p["heading"] or label
        _check_placeholders(heading, INIT_FIELDS, spec.line_of("heading"), f"init.parts.{kind}.heading", "可用")
        body = _init_lines(spec["body"], spec.line_of("body"), f"init.parts.{kind}.body") if "body" in spec \
            else (InitLine(fill=label),)
        parts.append(InitPart(kind, heading, body))
    return Init(title=v["title"], placeholder=v["placeholder"], date=v["date"], signature=v["signature"],
                opening=_init_lines(raw.get("opening", []), raw.line_of("opening"), "init.opening"),
                parts=tuple(parts),
                closing=_init_lines(raw.get("closing", []), raw.line_of("closing"), "init.closing"))


def _init_lines(raw, line: int, owner: str) -> tuple[InitLine, ...]:
    """Lines of the skeleton: a string (fixed text), or a mapping of ``text`` and/or ``fill``
    (a gap after the text), of ``heading`` (a numbered sub-heading), or of ``table`` (rows of
    cells separated by |)."""
    _require(isinstance(raw, list), line, f"{owner} 应为列表，每项是一行文字或含 text、fill、heading 的映射")
    lines = []
    for n, item in enumerate(raw):
        if isinstance(item, str):
            item_line = raw.line_of(n) if isinstance(raw, LList) else line
            _require(bool(item), item_line, f"{owner} 中有空行；每项应为一行文字")
            v = {"text": item, "fill": None, "heading": None, "table": None}
        else:
            _require(isinstance(item, LDict), line, f"{owner} 的每项应为一行文字或含 text、fill、heading 的映射")
            item_line, v = item.line, validate(item, INIT_LINE_SCHEMA, owner)
            _require([v["heading"] is not None, v["text"] is not None or v["fill"] is not None,
                      v["table"] is not None].count(True) == 1, item.line,
                     f"{owner}：每项写 heading（小标题），或写 text 和/或 fill（固定文字、待填写的内容），"
                     "或写 table（表格各行，单元格以 | 分隔），只能写其中一种")
            if v["table"] is not None:
                _require(len(v["table"]) > 0, item.line_of("table"), f"{owner} 的 table 应为非空的行列表")
                rows = tuple(tuple(c.strip() for c in row.split("|")) for row in v["table"])
                lines.append(InitLine(table=rows))
                continue
        for key in ("text", "fill", "heading"):
            if v[key] is not None:
                _check_placeholders(v[key], INIT_FIELDS, item_line, f"{owner} 的 {key}", "可用")
        lines.append(InitLine(text=v["text"] or "", fill=v["fill"], heading=v["heading"]))
    return tuple(lines)


def _build_matrix(data: LDict, pack: Pack) -> list[MatrixColumn]:
    """The pack's ``matrix``: the columns of `fzlint check --summary` and `fzlint report`."""
    raw = data.get("matrix", [])
    _require(isinstance(raw, list), data.line_of("matrix"), "matrix 应为列表，每项含 label 与 rules")
    ids = {r.id for r in pack.rules}
    columns = []
    for item in raw:
        _require(isinstance(item, LDict), data.line_of("matrix"), "matrix 的每项应为映射（label、rules）")
        v = validate(item, MATRIX_SCHEMA, "matrix 列")
        for code in v["rules"]:
            _require(code in ids, item.line_of("rules"), f"matrix 列“{v['label']}”中的 {code} 不是本规则包的规则")
        columns.append(MatrixColumn(v["label"], tuple(v["rules"])))
    return columns


RULE_SCHEMA = {
    "id": Opt("str", required=True),
    "name": Opt("str", required=True),
    "title": Opt("str", required=True),
    "severity": Opt("str", required=True, choices=("error", "warning", "info")),
    "check": Opt("str", required=True, choices=tuple(CHECK_TYPES)),
    "message": Opt("str", required=True),
    "rationale": Opt("str", required=True),
}
RULE_STRUCTURED = ("citation", "tests")   # validated below
# when / when_not: the reports a rule runs on, from their title (pack.Condition)
RULE_CONDITIONS = ("when", "when_not")
CONDITION_SCHEMA = {
    "title_any": Opt("str_list", help="the title holds one of these words"),
    "title_regex": Opt("str_list", help="the title matches one of these RE2 patterns"),
}


def _build_rule(path: Path, item: LDict, pack: Pack) -> Rule:
    rid = item.get("id", "?")
    owner = f"规则 {rid}"
    check_name = item.get("check")
    # (the checks made for every rule raise where they fail: a _require call would format
    # its message and find its line each time, ~2 ms of a start over the shipped packs)
    if not (isinstance(check_name, str) and check_name in CHECK_TYPES):
        raise SchemaError(item.line_of("check"),
                          f"{owner}：未知的检查类型 check: {check_name!r}（可用：{'、'.join(CHECK_TYPES)}）")
    module = CHECK_TYPES[check_name]
    option_names = tuple(module.OPTIONS)
    base = validate(item, RULE_SCHEMA, owner, RULE_STRUCTURED + RULE_CONDITIONS + option_names)
    for key in RULE_STRUCTURED:
        if key not in item:
            raise SchemaError(item.line, f"{owner}：缺少必填字段“{key}”")
    prefix, rid = pack.code_prefix, base["id"]      # the prefix and three digits (re's \d: str.isdecimal)
    if not (rid.startswith(prefix) and len(rid) == len(prefix) + 3 and rid[len(prefix):].isdecimal()):
        raise SchemaError(item.line_of("id"),
                          f"{owner}：id 应为规则包的代码前缀 {prefix} 加三位数字，如 {prefix}123")
    if not NAME_RE.match(base["name"]):
        raise SchemaError(item.line_of("name"), f"{owner}：name 应为小写短横线形式（如 missing-next-year-plan）")
    title = base["title"].strip()
    if not (0 < len(title) <= MAX_TITLE_CHARS and "\n" not in title):
        raise SchemaError(item.line_of("title"), f"{owner}：title 应为一行、不超过 {MAX_TITLE_CHARS} 字的中文短标题"
                                                 "（如 缺少“不足和原因”部分）")

    citation = item["citation"]
    if not isinstance(citation, LDict):
        raise SchemaError(item.line_of("citation"), f"{owner}：citation 应为映射")
    cit = validate(citation, CITATION_SCHEMA, f"{owner} 的 citation")
    if not (cit["practice"] or (cit["source"] and cit["article"])):
        raise SchemaError(citation.line, f"{owner}：citation 需写明 source 与 article（法规及条款），"
                                         "或用 practice 说明所依据的实务做法")

    options = validate(item, module.OPTIONS, owner, tuple(RULE_SCHEMA) + RULE_STRUCTURED + RULE_CONDITIONS)
    raw_options = {k: item[k] for k in module.OPTIONS if k in item}
    lines = {k: item.line_of(k) for k in module.OPTIONS}
    options = prepare_options(module, base["check"], options, pack, lines, owner, item.line)

    _check_placeholders(base["message"], module.PARAMS, item.line_of("message"), f"{owner}：message",
                        f"{base['check']} 可用")
    tests = item["tests"]
    _validate_tests(tests, item.line_of("tests"), owner, base["id"])
    return Rule(
        id=base["id"], name=base["name"], title=title, severity=Severity.parse(base["severity"]),
        check=base["check"], options=options, raw_options=raw_options, citation={k: v for k, v in cit.items() if v},
        message=base["message"], rationale=base["rationale"].strip(), tests=list(tests),
        pack=pack.name, path=str(path), line=item.line,
        **{key: _build_condition(item[key], item.line_of(key), f"{owner} 的 {key}")
           for key in RULE_CONDITIONS if key in item},
    )


def _build_condition(raw, line: int, owner: str) -> Condition:
    """A rule's ``when`` or ``when_not``: words or RE2 patterns the report's title names."""
    _require(isinstance(raw, LDict), line, f"{owner} 应为映射（title_any 和/或 title_regex）")
    v = validate(raw, CONDITION_SCHEMA, owner)
    _require(v["title_any"] is not None or v["title_regex"] is not None, raw.line,
             f"{owner} 需要 title_any 或 title_regex（如 title_any: [人民政府]）")
    return Condition(title_any=keywords(v["title_any"] or []),
                     title_regex=tuple(compile_regexes(v["title_regex"] or [], raw.line_of("title_regex"))),
                     source={k: val for k, val in v.items() if val is not None})


def prepare_options(module, check: str, options: dict, pack, lines: dict, owner: str, line: int) -> dict:
    """The check type's own preparation (compiling regexes, resolving kinds, ...); a value of
    the wrong shape deep inside an option (``names: [{wrong: 1}]``) is a SchemaError too."""
    try:
        return module.prepare(options, pack, lines)
    except SchemaError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise SchemaError(line, f"{owner}：选项的值不符合检查类型 {check} 的要求（{type(exc).__name__}: {exc}），"
                                "请对照 docs/check-types.md 中该检查类型的选项说明") from None


def _check_placeholders(text: str, allowed, line: int, what: str, hint: str) -> None:
    """Placeholders must be plain ``{name}`` fields from ``allowed``: the text is formatted
    only when a rule fires, too late to report a mistake in it."""
    # string.Formatter().parse is _string.formatter_parser; the string module costs ~1 ms to import
    from _string import formatter_parser

    try:
        fields = [(f, conv, spec) for _, f, spec, conv in formatter_parser(text) if f is not None]
    except ValueError as exc:
        raise SchemaError(line, f"{what} 中的花括号不成对（{exc}）；要写花括号本身，请写成 {{{{ 或 }}}}") from None
    for name, conv, spec in fields:
        if not name or conv or spec:
            shown = f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
            raise SchemaError(line, f"{what} 中的占位符 {shown} 应写成 {{名称}} 的形式，不带位置编号、!转换或 :格式")
    unknown = {name for name, _, _ in fields} - set(allowed)
    if unknown:
        raise SchemaError(line, f"{what} 中的占位符 {{{'}、{'.join(sorted(unknown))}}} 无效"
                                f"（{hint}：{'、'.join(allowed) or '无'}）")


def _validate_tests(tests, line: int, owner: str, rid: str) -> None:
    _require(isinstance(tests, list) and len(tests) > 0, line, f"{owner}：tests 应为非空列表")
    fires = silent = False
    for case in tests:      # (raising where a check fails: see _build_rule)
        if not isinstance(case, LDict):
            raise SchemaError(line, f"{owner}：tests 的每项应为映射")
        unknown = set(case) - TEST_KEYS
        if unknown:
            raise SchemaError(case.line, f"{owner}：测试用例中有未知的键 {'、'.join(sorted(map(str, unknown)))}")
        if not isinstance(case.get("name"), str):
            raise SchemaError(case.line, f"{owner}：测试用例需要 name")
        want = case.get("want")
        if not (isinstance(want, list) and all(isinstance(w, str) for w in want)):
            raise SchemaError(case.line_of("want"), f"{owner}：测试用例 want 应为列表，如 [\"3:1 {rid}\"] 或 []")
        fires |= any(w.endswith(rid) for w in want)
        silent |= not want
    _require(fires and silent, line, f"{owner}：tests 至少要有一个触发的例子和一个不触发的例子")
