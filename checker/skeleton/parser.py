"""Parse a report into the document model.

text -> lines (normalize) -> tokens (lexer) -> LALR parse (grammar/report.lark) -> Report.

The Lark parser is built once per process; its LALR tables are kept on disk between runs, as
JSON data, in fzlint's cache folder (checker/cache.py). Parsing never raises: when the
grammar cannot fit a line, the ``on_error`` handler either inserts the missing parent
heading level (``（1）`` right under ``一、``) or drops the line, and records a structural
:class:`~checker.skeleton.model.Problem` that the rules engine reports.

A token stream the grammar takes as it is (nearly every report) is built without the table
(:func:`_build_directly`): one pass that calls the model builder with the children the
table would give it. It follows the grammar's rules, checked against the grammar text when
the parser is built (off when they differ), and leaves any other stream to the table.
"""

from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache, partial
from weakref import WeakKeyDictionary

import lark as _lark
from lark import Lark, Transformer
from lark.exceptions import LarkError, UnexpectedToken
from lark.grammar import Rule
from lark.lexer import PatternRE, TerminalDef
from lark.parsers.lalr_analysis import Shift

from checker import resources
from checker.cache import cache_dir, read_entry, write_atomically
from checker.skeleton.lexer import HEADINGS, RAISE_BUDGETS, LineLexer, LineToken, Shapes, TokenStream, classify, wan
from checker.skeleton.model import (
    _ONE_PIECE,
    _SENTENCE_PUNCT,
    HEADING_LIKE_MAX,
    Closing,
    Heading,
    Paragraph,
    Problem,
    Report,
    Section,
    Text,
    numeral_value,
)
from checker.skeleton.normalize import Line, lines_of
from checker.skeleton.tables import Table, TableBudget, Tables, find_text_tables, may_hold_text_tables, set_captions
from checker.sources import DEFAULT_MAX_BYTES, SourceError

# Budgets on the model, for a text read under the default size limit (20 MB); a raised limit
# (--max-file-size) raises them in proportion: the limit says how much work a user accepts
# for one file. Beyond them: SourceError too_complex (FZ910). Here the lines, blank ones
# included (each a Line: about a microsecond and 100 bytes): a million take about 1 s and
# 100 MB; the lexer has the budgets on lines with text and on headings, which cost more.
MAX_LINES = 1_000_000

# How each level's numbering looks, for messages about a missing level.
LEVEL_MARKERS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
PARAGRAPH_END = ("。", "！", "？", "；", "：", "…", "。”", "！”", "？”")
TITLE_END = "。；！？"
_TITLE_END = re.compile(f"[{TITLE_END}]")
# A run-in "title" longer than this is a sentence, not a heading: cut it at the first comma.
MAX_TITLE = 50
RUN_ON_TITLE = 40


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, Shapes, _Build]:
    """The parser, built once per process. The model builder is handed to lark as its
    ``transformer``: lark's LALR parser then calls it at each reduction, so no parse tree is
    built and walked again. The builder is told the report's lines before each parse."""
    grammar = resources.grammar_path().read_text(encoding="utf-8")
    builder = _Build()
    folder = cache_dir()
    path = folder / TABLES_FILE if folder is not None else None
    key = f"{TABLES_FORMAT}\0{_lark.__version__}\0{sys.version_info[:2]}\0{grammar}"
    key = hashlib.sha256(key.encode("utf-8")).hexdigest()
    lark = _cached_tables(path, key, grammar, builder) if path is not None else None
    if lark is None:
        lark = Lark(grammar, transformer=builder, **_LARK_OPTIONS)
        if path is not None:
            _store_tables(path, key, lark)
    builder.direct = _rules(grammar) == _rules(_DIRECT_RULES)
    return lark, Shapes.from_terminals(lark.terminals), builder


_DRIVERS: WeakKeyDictionary = WeakKeyDictionary()


def _driver(lark: Lark) -> _Driver:
    """The loop that runs ``lark``'s table (made once per parser)."""
    driver = _DRIVERS.get(lark)
    if driver is None:
        driver = _DRIVERS[lark] = _Driver(lark)
    return driver


class _Unexpected(Exception):
    """A token the table has no action for, in the current state (see _Driver)."""


_SHIFT, _END, _REFUSE = "shift", "end", "refuse"
MAX_PLANS = 10_000      # stacks are a few states deep (nesting): a report meets a few dozen


class _Driver:
    """lark's LALR loop over lark's own table and callbacks, without its per-token costs.

    lark builds the grammar's LALR table and the callbacks that give the model builder each
    rule's children (its parse-tree builder: inlined ``_rules`` and ``x*`` repetitions). Its
    loop (``ParserState.feed_token``) compares every reduction's rule with the end state
    (an ``assert`` calling ``Rule.__eq__``), looks the callback up by the rule (hashing it)
    and runs behind a lexer thread and frontend per parse: about half the parser's time on
    reports of 30 tokens. This loop takes the same actions in the same order and calls the
    same callbacks, with each reduction's callback, size and goto symbol looked up once per
    process. On a token the table refuses it builds lark's own ``UnexpectedToken``, with an
    interactive parser that feeds tokens through this loop, so the ``on_error`` recovery
    (parser._recovery) works as it does with lark's loop."""

    def __init__(self, lark: Lark):
        parser = lark.parser.parser            # LALR_Parser
        table = parser._parse_table
        callbacks = parser.parser.callbacks
        self.states = table.states              # lark's own form, for the recovery handler
        self.start = table.start_states["start"]
        self.end = table.end_states["start"]
        self.token_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}
        rules = {id(arg): arg for row in table.states.values() for action, arg in row.values() if action is not Shift}
        direct = _direct_callbacks(list(rules.values()), callbacks)
        # per state: token type or rule name -> (True, next state) or (False, (size, name, callback))
        self.actions = {
            state: {sym: (True, arg) if action is Shift
                    else (False, (len(arg.expansion), arg.origin.name, direct[id(arg)]))
                    for sym, (action, arg) in row.items()}
            for state, row in table.states.items()}
        self.conf = _Conf(self.states)
        self.plans: dict[tuple, tuple] = {}     # (*stack, token type) -> _plan's answer

    def feed(self, token: LineToken, stack: list, values: list, end: bool = False):
        """Take ``token`` (``end``: the $END token; returns the start's value then). The
        reductions a token type makes on a stack of states are always the same: they are
        worked out once (:meth:`_plan`) and replayed on the values (a report's tokens meet a
        few dozen stacks), instead of looking each action and goto up in the table again."""
        kind = token.type
        key = (*stack, kind)
        plan = self.plans.get(key)
        if plan is None:
            plan = self._plan(stack, kind, end)
            if len(self.plans) < MAX_PLANS:
                self.plans[key] = plan
        steps, after, outcome = plan
        for size, callback in steps:
            if size:
                children = values[-size:]
                del values[-size:]
            else:
                children = []
            values.append(callback(children))
        stack[:] = after
        if outcome is _SHIFT:
            callback = self.token_callbacks.get(kind) if self.token_callbacks else None
            values.append(token if callback is None else callback(token))
            return None
        if outcome is _END:
            return values[-1]
        raise _Unexpected(token)

    def _plan(self, stack: list, kind: str, end: bool) -> tuple[tuple, tuple, object]:
        """What the table does with a token of type ``kind`` on ``stack``: the reductions,
        as (size, callback), in order; the stack after them (and the shift); and the outcome:
        the token shifted (_SHIFT), the start reached (_END, for $END) or no action for the
        token (_REFUSE: after the reductions made before the table tells, as lark's loop)."""
        actions = self.actions
        stack = list(stack)
        steps = []
        while True:
            act = actions[stack[-1]].get(kind)
            if act is None:
                return tuple(steps), tuple(stack), _REFUSE
            shift, arg = act
            if shift:
                stack.append(arg)
                return tuple(steps), tuple(stack), _SHIFT
            size, name, callback = arg
            if size:
                del stack[-size:]
            stack.append(actions[stack[-1]][name][1])
            steps.append((size, callback))
            if end and stack[-1] == self.end:
                return tuple(steps), tuple(stack), _END

    def parse(self, stream: TokenStream, on_error):
        """What ``lark.parse(stream, on_error=on_error)`` returns (the transformed start)."""
        stack: list = [self.start]
        values: list = []
        interactive = _Interactive(self, _State(self.conf, stack, values))
        tokens = stream.tokens
        last = None
        while True:
            try:
                while stream.pos < len(tokens):
                    last = tokens[stream.pos]
                    stream.pos += 1
                    self.feed(last, stack, values)
                end = LineToken("$END", "", last.line if last is not None else 1)
                return self.feed(end, stack, values, True)
            except _Unexpected as exc:
                token = exc.args[0]
                expected = {s for s in self.states[stack[-1]] if s.isupper()}
                error = UnexpectedToken(token, expected, state=interactive.parser_state,
                                        interactive_parser=interactive)
                if not on_error(error):
                    raise error from None


class _Inlined:
    """The children of a rule lark inlines into its parent (``_front_item``, ``x*``): what
    lark's tree builder makes a Tree for, only to take its children again."""

    __slots__ = ("children",)

    def __init__(self, children: list):
        self.children = children


def _direct_callbacks(rules: list, callbacks: dict) -> dict:
    """id(rule) -> a function of the rule's children giving what lark's callback gives the
    parent, without the layers of lark's tree builder: the transformer's method is called
    with the children lark's child filter would pass it (the inlined rules' children in
    their place), and an inlined rule gives an :class:`_Inlined` instead of a Tree. Falls
    back to lark's own callbacks for any rule whose callback is not of the shapes known here
    (then for all rules: an inlined child must be what its parent's callback expects)."""
    from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders

    out = {}
    for rule in rules:
        callback = callbacks[rule]
        keep = None
        if isinstance(callback, ChildFilterLALR_NoPlaceholders):
            keep, callback = callback.to_include, callback.node_builder
        if keep is not None and keep == [(i, False) for i in range(len(rule.expansion))]:
            keep = None                          # every child as it is (a fresh list each time)
        inlined = rule.origin.name.startswith("_")
        if inlined:
            if not (isinstance(callback, partial) and callback.func.__name__ == "default_callback"):
                return {id(r): callbacks[r] for r in rules}
            build = _Inlined
        elif getattr(callback, "__self__", None) is not None and isinstance(callback.__self__, Transformer):
            build = callback
        else:
            return {id(r): callbacks[r] for r in rules}
        out[id(rule)] = build if keep is None else _filtered(keep, build)
    return out


def _filtered(keep: list[tuple[int, bool]], build):
    """lark's ChildFilterLALR_NoPlaceholders: children kept, inlined ones expanded in place."""
    if keep == [(0, True), (1, False)]:       # a repetition grows by one (x* : x* item)
        def grow(children: list):
            filtered = children[0].children
            filtered.append(children[1])
            return build(filtered)

        return grow

    def callback(children: list):
        filtered: list = []
        for i, expand in keep:
            if expand:
                if filtered:
                    filtered += children[i].children
                else:          # left recursion (x*): extend the repetition's list in place
                    filtered = children[i].children
            else:
                filtered.append(children[i])
        return build(filtered)

    return callback


class _Conf:
    """What the recovery handler reads of lark's ParseConf."""

    __slots__ = ("states",)

    def __init__(self, states):
        self.states = states


class _State:
    """What the recovery handler reads of lark's ParserState."""

    __slots__ = ("parse_conf", "state_stack", "value_stack")

    def __init__(self, conf: _Conf, stack: list, values: list):
        self.parse_conf, self.state_stack, self.value_stack = conf, stack, values

    @property
    def position(self):
        return self.state_stack[-1]


class _Interactive:
    """What the recovery handler uses of lark's InteractiveParser: its state, and feeding a
    token (through :class:`_Driver`; a refused token raises lark's UnexpectedToken)."""

    __slots__ = ("driver", "parser_state")

    def __init__(self, driver: _Driver, state: _State):
        self.driver, self.parser_state = driver, state

    def feed_token(self, token: LineToken):
        state = self.parser_state
        try:
            return self.driver.feed(token, state.state_stack, state.value_stack)
        except _Unexpected:
            expected = {s for s in self.driver.states[state.position] if s.isupper()}
            raise UnexpectedToken(token, expected, state=state, interactive_parser=self) from None


# -- the parser-table cache -----------------------------------------------------------------
# Building the LALR tables costs ~16 ms of CPU, loading them ~7 ms. lark's own cache is a pickle
# (a file planted in the cache folder would run code at the next start), so fzlint stores
# lark's plain-data serialization (``memo_serialize``) as JSON and loads it through lark's own
# loading path (``Lark._load_from_dict``). The entry is [key, data, memo]. JSON has no tuples,
# no non-string keys and no classes: a tuple is {"\0t": [...]}, a dict with other keys than
# strings {"\0d": [[key, value], ...]} and the one class, the lexer, {"\0c": "LineLexer"}
# (no key of lark's starts with NUL); decoding accepts no other tagged object. What lark
# builds from it is then checked against the grammar text (terminals with their patterns and
# priorities, rule names) and for consistency (the table's shifts and reductions lead to its
# own states and rules); on any doubt the tables are built afresh.

TABLES_FILE = "report-grammar.json"
TABLES_FORMAT = "fzlint-lark-tables-2"    # change when the options or the encoding change
_LARK_OPTIONS = {"parser": "lalr", "lexer": LineLexer, "maybe_placeholders": False}
# lark's options that loading may set: all pinned here, none taken from the file
_LOAD_OPTIONS = {"postlex": None, "lexer_callbacks": {}, "use_bytes": False, "debug": False, "g_regex_flags": 0,
                 "regex": False, "propagate_positions": False, "tree_class": None, "_plugins": {}}
_CLASSES = {"LineLexer": LineLexer}
_PLAIN = (str, int, float, bool, type(None))
_TERMINAL_DEF = re.compile(r"^([A-Z_][A-Z0-9_]*)(?:\.(-?\d+))?: */(.+)/([imslux]*) *$", re.M)
_RULE_DEF = re.compile(r"^[?!]?([_a-z][_a-z0-9]*) *:", re.M)
_GENERATED = re.compile(r"__([_a-z][_a-z0-9]*)_(?:star|plus)_\d+$")   # lark's names for x* and x+


class _Uncacheable(Exception):
    pass


def _encode(value):
    if type(value) in _PLAIN:
        return value
    if type(value) is list:
        return [_encode(v) for v in value]
    if type(value) is tuple:
        return {"\0t": [_encode(v) for v in value]}
    if type(value) is dict:
        if all(type(k) is str and not k.startswith("\0") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"\0d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    name = next((n for n, cls in _CLASSES.items() if value is cls), None)
    if name is None:
        raise _Uncacheable(type(value).__name__)
    return {"\0c": name}


def _decoded(obj: dict):
    """``json.loads``'s object hook: :func:`_encode`'s objects back; ValueError (or TypeError:
    an unhashable key) for a tagged object of another shape."""
    if len(obj) != 1:
        return obj
    ((tag, body),) = obj.items()
    if tag[:1] != "\0":
        return obj                  # one of lark's own (a memo reference {"@": n})
    if tag == "\0t" and type(body) is list:
        return tuple(body)
    if tag == "\0d" and type(body) is list:
        out = dict(body)
        if len(out) == len(body):
            return out
    elif tag == "\0c" and type(body) is str and body in _CLASSES:
        return _CLASSES[body]
    raise ValueError("not fzlint's encoding")


def _store_tables(path, key: str, lark: Lark) -> None:
    data, memo = lark.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_OPTIONS and k != "transformer"}
    try:
        blob = json.dumps([key, _encode(data), _encode(memo)], ensure_ascii=False)
    except (_Uncacheable, ValueError):      # a lark version serializing something else
        return
    write_atomically(path, blob.encode("utf-8"))


def _cached_tables(path, key: str, grammar: str, builder: _Build) -> Lark | None:
    """The parser from the cache entry at ``path``, if it is fzlint's and fits the grammar."""
    stored = read_entry(path)
    if stored is None:
        return None
    try:
        stored_key, data, memo = json.loads(stored, object_hook=_decoded)    # the only objects: see _encode
        if stored_key != key or type(data) is not dict or type(memo) is not dict or type(data["options"]) is not dict:
            return None
        options = data["options"]
        if any(options.get(k) != v for k, v in _LARK_OPTIONS.items()) or options.get("start") != ["start"]:
            return None
        lark = Lark._load_from_dict(data, memo, transformer=builder, **_LOAD_OPTIONS)
        return lark if _fits(lark, grammar) else None
    except Exception:  # noqa: BLE001 - whatever lark makes of a damaged entry: build afresh
        return None


def _fits(lark: Lark, grammar: str) -> bool:
    """Are the loaded terminals exactly the grammar's, do its rules use only the grammar's
    names, and do the table's actions lead to its own states and rules?"""
    want = {(name, int(priority or 0), pattern, flags)
            for name, priority, pattern, flags in _TERMINAL_DEF.findall(grammar)}
    got = {(t.name, t.priority, t.pattern.value, "".join(sorted(t.pattern.flags)))
           for t in lark.terminals if type(t.pattern) is PatternRE}
    if got != want or len(lark.terminals) != len(want):
        return False
    terminals = {name for name, _, _, _ in want}
    defined = set(_RULE_DEF.findall(grammar))
    origins = {r.origin.name for r in lark.rules}
    rules = {id(rule) for rule in lark.rules}      # the table's reductions are these very objects
    for rule in lark.rules:
        m = _GENERATED.match(rule.origin.name)
        if (rule.alias is not None or not (rule.origin.name in defined or (m and m.group(1) in defined))
                or not all(s.name in origins or (s.is_term and s.name in terminals) for s in rule.expansion)):
            return False
    table = lark.parser.parser._parse_table
    states = table.states
    if set(table.start_states.values()) - set(states) or set(table.end_states.values()) - set(states):
        return False
    for actions in states.values():
        for action, arg in actions.values():
            if not (arg in states if action is Shift else id(arg) in rules):
                return False
    return True


def build_parser(**options) -> Lark:
    """A fresh, uncached parser (for tests that check the grammar itself)."""
    path = resources.grammar_path()
    return Lark(path.read_text(encoding="utf-8"), parser="lalr", lexer=LineLexer, **options)


@contextmanager
def paused_gc():
    """Hold the cyclic garbage collector while building or reading a report's model.

    Parsing allocates a few objects per line and keeps them all (lines, tokens, the model);
    every 700 allocations the collector would walk the young ones again, and the whole heap
    each time it grows by a quarter: over half the time of a parse of a file of short lines
    (a page of a million ``<p>``). The model holds no reference cycles (Context avoids them;
    see its ``_index``), so nothing is left for the collector to find; any cycle made anyway
    is collected after the pause."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse(text: str, size_limit: int | None = DEFAULT_MAX_BYTES, tables: Sequence[Table] | None = None) -> Report:
    """Parse decoded report text. ``tables``: the tables a reader found (.docx, .html), each
    placed on the text's lines; None: find tables written in the text (pipe or tab rows,
    checker/skeleton/tables.py). Never raises on any input text, except
    :class:`~checker.sources.SourceError` ``too_complex`` for a text beyond the model's
    budgets (:data:`MAX_LINES`, and the lexer's :data:`~checker.skeleton.lexer.MAX_TEXT_LINES`
    and :data:`~checker.skeleton.lexer.MAX_HEADINGS`), scaled up for a ``size_limit`` above
    the default one."""
    scale = max(1.0, size_limit / DEFAULT_MAX_BYTES) if size_limit else 1.0
    max_lines = int(MAX_LINES * scale)
    lines = text.count("\n") + 1                   # as split_lines counts
    if "\r" in text:
        lines += text.count("\r") - text.count("\r\n")
    if lines > max_lines:
        raise SourceError("too_complex", f"文本有 {lines} 行，超过 {wan(max_lines)}行的上限"
                                         f"（报告通常只有几百到几千行；{RAISE_BUDGETS}）")
    with paused_gc():
        return _parse(text, scale, tables)


def _tables(lines: list[Line], text: str, tables: Sequence[Table] | None) -> tuple[list[Table], bool]:
    """The report's tables (a reader's, else those written in the text) and whether some
    were left out (budgets)."""
    if tables is None:
        if not may_hold_text_tables(text):
            return [], False
        budget = TableBudget()
        raws = [line.raw for line in lines]
        found = find_text_tables(raws, budget, text=text if "\r" not in text else "\n".join(raws))
        return found, budget.incomplete
    found = [t for t in tables if 1 <= t.first_line <= t.last_line <= len(lines)]
    return found, isinstance(tables, Tables) and tables.incomplete


def _table_lines(tables: list[Table]) -> frozenset[int]:
    """The lines of the tables that hold figures: body text for the skeleton, never a heading
    or a date ("（七）总计\t4\t1" is a row, not a （七） heading). A table without figures
    (a signature and date set side by side in a borderless Word table) keeps its lines'
    own kinds."""
    out: set[int] = set()
    for t in tables:
        if t.holds_figures():
            out.update(range(t.first_line, t.last_line + 1))
    return frozenset(out)


def _parse(text: str, scale: float, tables: Sequence[Table] | None = None) -> Report:
    lines = lines_of(text)
    found, incomplete = _tables(lines, text, tables)
    lark, shapes, builder = _parser()
    stream = classify(lines, shapes, scale, _table_lines(found) if found else None)
    problems: list[Problem] = []
    builder.use(stream)
    try:
        report = _build_directly(stream, builder) if builder.direct else None
        if report is None:
            report = _driver(lark).parse(stream, _recovery(stream, problems))
    except LarkError:  # pragma: no cover - the grammar accepts any token sequence prefix
        report = Report(lines)
        first = report.first_content_line() or lines[0]
        report.problems.append(Problem("unparsed", first))
    else:
        report.problems.extend(_merge_dropped(problems))
    finally:
        builder.use(None)
    report.tables_incomplete = incomplete
    if found:
        set_captions(found, [line.text for line in lines])
        report.tables = found
    return report


def _synthetic(kind: str, like: LineToken) -> LineToken:
    return LineToken(kind, "", like.line)


def _accepts(state, types: tuple[str, ...]) -> bool:
    """Would the parser in ``state`` take tokens of these types, one after the other?

    Runs the LALR table on a copy of the state stack alone (lark's ``InteractiveParser.copy``
    deep-copies the value stack, the whole model built so far: a report of thousands of
    headings that each lack their parent level took minutes)."""
    states = state.parse_conf.states
    stack = list(state.state_stack)
    for kind in types:
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return False
            what, arg = action
            if what is Shift:
                stack.append(arg)
                break
            if arg.expansion:   # reduce by rule ``arg``, then take its goto
                del stack[-len(arg.expansion):]
            stack.append(states[stack[-1]][arg.origin.name][1])
    return True


def _recovery(stream: TokenStream, problems: list[Problem]):
    lines = stream.lines

    def on_error(e) -> bool:
        if not isinstance(e, UnexpectedToken) or e.token.type == "$END":
            return False
        tok, ip = e.token, e.interactive_parser
        line = lines[tok.line - 1]
        state = ip.parser_state
        parent = _parent_level(state, tok)
        if parent:
            ip.feed_token(_synthetic(f"H{parent}", tok))
            ip.feed_token(tok)
            marker = stream.heading_match(tok).group(0)
            problems.append(Problem("missing_parent", line, marker, LEVEL_MARKERS[parent]))
            return True
        # Drop the line(s), and with them the tokens after it that would fail the same way
        # without changing the parser's state (no action at all for them in its current
        # state, no parent level to insert): one problem for the run, not one exception and
        # one recovery per token (a million lines after 特此报告).
        dropped = len(stream.runs.get(tok.line, (line,)))     # a TEXT token is a run of lines
        actions = state.parse_conf.states[state.position]
        tokens = stream.tokens
        while stream.pos < len(tokens):
            nxt = tokens[stream.pos]
            if nxt.type in actions or _parent_level(state, nxt):
                break
            dropped += len(stream.runs.get(nxt.line, (None,)))
            stream.pos += 1
        problems.append(Problem("after_closing", line, str(dropped)))
        return True

    return on_error


def _parent_level(state, tok: LineToken) -> int:
    """The nearest missing parent level whose insertion lets the parser take heading ``tok``
    (0: none, or not a heading)."""
    if tok.type not in HEADINGS:
        return 0
    return next((parent for parent in range(int(tok.type[1]) - 1, 0, -1)
                 if _accepts(state, (f"H{parent}", tok.type))), 0)


def _merge_dropped(problems: list[Problem]) -> list[Problem]:
    """Report a run of dropped lines after the closing once, with the count."""
    out: list[Problem] = []
    for p in problems:
        if p.kind == "after_closing" and out and out[-1].kind == "after_closing":
            out[-1].found = str(int(out[-1].found) + int(p.found))
            continue
        out.append(p)
    return out


# ---------------------------------------------------------------------------------------
# The usual report without the table

# The rules of grammar/report.lark that _build_directly follows. When the grammar's rules are
# other than these (compared without comments and spaces), the direct path is off: the
# table alone decides.
_DIRECT_RULES = """
start: front section* closing?
front: _front_item* para*
_front_item: DOCHEAD | DOCNO | ISSUER | TITLE | ADDRESSEE | PREDATE
para: TEXT
section: H1 para* sub3* sub2*
sub2: H2 para* sub3*
sub3: H3 para* sub4*
sub4: H4 para*
closing: CLOSING signature?
       | signature
signature: SIGNER* DATE
         | SIGNER+
"""
_FRONT_ITEMS = frozenset({"DOCHEAD", "DOCNO", "ISSUER", "TITLE", "ADDRESSEE", "PREDATE"})
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4}
_CLOSING_START = frozenset({"CLOSING", "SIGNER", "DATE"})


def _rules(grammar: str) -> list[str]:
    """The rule definitions of a lark grammar (terminals, directives, comments and spaces
    left out), each with its alternatives."""
    out: list[str] = []
    in_rule = False
    for ln in grammar.splitlines():
        ln = ln.split("//")[0].strip()
        if ln.startswith("|"):
            if in_rule:
                out[-1] += ln.replace(" ", "")
        elif ln:
            in_rule = bool(_RULE_DEF.match(ln))
            if in_rule:
                out.append(ln.replace(" ", ""))
    return out


def _build_directly(stream: TokenStream, builder: _Build) -> Report | None:
    """The model of a token stream the grammar takes as it is (no heading without its parent
    level, nothing after the closing: nearly every report), built with the model builder's
    callbacks given the children lark's table would give them, in one pass over the tokens
    without the table: the table's loop and lark's layers for the ``x*`` repetitions cost
    about as much as the model itself. None for any other stream: the table parses it and
    its ``on_error`` recovery repairs it (tests/test_parser.py checks both ways agree)."""
    tokens = stream.tokens
    n = len(tokens)
    i = 0
    front: list = []
    while i < n and tokens[i].type in _FRONT_ITEMS:
        front.append(tokens[i])
        i += 1
    while i < n and tokens[i].type == "TEXT":
        front.append(builder.para([tokens[i]]))
        i += 1
    children: list = [builder.front(front)]         # start's
    builds = (None, builder.section, builder.sub2, builder.sub3, builder.sub4)
    open_: list[list] = []                          # the open sections, outermost first: [level, children]

    def close(level: int) -> None:
        """Close the open sections of ``level`` or deeper: each goes to its parent."""
        while open_ and open_[-1][0] >= level:
            done, kids = open_.pop()
            (open_[-1][1] if open_ else children).append(builds[done](kids))

    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "TEXT":
            if not open_:
                return None
            open_[-1][1].append(builder.para([tok]))    # the innermost open section has no subsections
        else:
            level = _LEVELS.get(kind)
            if level is None:
                break
            close(level)
            # a 一、 section takes 1. items, then （一） subsections; a （1） item needs a 1. item
            if (level > 1 and not open_) or (level == 4 and open_[-1][0] != 3):
                return None
            open_.append([level, [tok]])
        i += 1
    close(1)
    if i < n:
        if tokens[i].type not in _CLOSING_START:
            return None
        j = i + 1 if tokens[i].type == "CLOSING" else i       # the signature: SIGNER* DATE | SIGNER+
        k = j
        while k < n and tokens[k].type == "SIGNER":
            k += 1
        if k < n and tokens[k].type == "DATE":
            k += 1
        if k < n:                                    # more after the closing: dropped, with a problem
            return None
        parts = [tokens[i]] if j > i else []
        if k > j:
            parts.append(builder.signature(tokens[j:k]))
        children.append(builder.closing(parts))
    return builder.start(children)


# ---------------------------------------------------------------------------------------
# Tree -> model

_DATE_PARTS = re.compile(r"(.+?)年(.+?)月(.+?)日")


def iso_date(text: str) -> str | None:
    """'2024年1月29日' -> '2024-01-29'; None when the date cannot exist or is unreadable."""
    m = _DATE_PARTS.match(text)
    if not m:
        return None
    try:
        y, mo, d = (numeral_value(g) for g in m.groups())
        return _dt.date(y, mo, d).isoformat()
    except (KeyError, ValueError):
        return None


def _title_from(lines: list[Line]) -> str | None:
    """Join title lines; drop a line repeated by the lines after it (web-page residue)."""
    parts = [ln.text for ln in lines]
    # One pass from the end over the joined text (a page can put thousands of short lines
    # in the front: slicing and joining the rest for each line would be quadratic).
    whole = "".join(parts)
    keep = []
    later: set[str] = set()
    end = len(whole)
    for part in reversed(parts):
        start = end - len(part)
        if not (later and (whole.startswith(part, end) or part in later)):
            keep.append(part)
        later.add(part)
        end = start
    return "".join(reversed(keep)) or None


def _ends_paragraph(text: str) -> bool:
    return text.endswith(PARAGRAPH_END)


def _body(line: Line, begin: int, more: list[Line] | None) -> Text:
    """The text of a paragraph: ``line.text[begin:]`` and the whole of the ``more`` lines it
    runs on to (None: none, the usual paragraph, made directly)."""
    if more is None:
        return Text(line.text[begin:], _ONE_PIECE, (line, begin))      # Text.one
    return Text.from_lines([(line, begin, len(line.text)), *[(ln, 0, len(ln.text)) for ln in more]])


class _Build(Transformer):
    """Builds the Report dataclasses; holds no rule logic.

    One instance serves every parse of the process (see :func:`_parser`): :meth:`use` gives
    it the lines of the report being parsed (fzlint parses one report at a time per process)."""

    def __init__(self):
        super().__init__(visit_tokens=False)
        self.stream: TokenStream | None = None
        self.lines: list[Line] = []
        self.runs: dict[int, tuple[Line, ...]] = {}
        self.shapes: dict[str, re.Pattern] = {}
        self.direct = False     # _build_directly follows the grammar's rules (see _parser)

    def use(self, stream: TokenStream | None) -> None:
        self.stream = stream
        self.lines = stream.lines if stream is not None else []
        self.runs = stream.runs if stream is not None else {}
        self.shapes = stream.shapes.by_name if stream is not None else {}

    def _line(self, tok: LineToken) -> Line:
        return self.lines[tok.line - 1]

    # -- paragraphs: consecutive lines join while a sentence runs on (PDF line breaks)
    def para(self, children) -> tuple[Line, ...]:
        return self.runs[children[0].line]

    def _paragraphs(self, lines: Sequence[Line], line: Line | None = None, begin: int = 0) -> list[Paragraph]:
        """The paragraphs of a run of body lines. ``line``, ``begin``: run-in text on a
        heading line, ``line.text[begin:]``, which the first paragraph starts with."""
        out: list[Paragraph] = []
        more = None       # the lines after ``line`` the paragraph being read runs on to
        prev = line.text if line is not None else ""    # the last line's whole text
        for ln in lines:
            # a paragraph runs on while its last line neither ends a sentence nor reads as a
            # heading (model.heading_like: short, without sentence punctuation)
            if line is not None and not prev.endswith(PARAGRAPH_END) and \
                    not (0 < len(prev) <= HEADING_LIKE_MAX and not _SENTENCE_PUNCT.intersection(prev)):
                if more is None:
                    more = [ln]
                else:
                    more.append(ln)
            else:
                if line is not None:
                    out.append(Paragraph(_body(line, begin, more)))
                line, begin, more = ln, 0, None
            prev = ln.text
        if line is not None:
            out.append(Paragraph(_body(line, begin, more)))
        return out

    def _heading(self, tok: LineToken, level: int, continued: bool) -> tuple[Heading, int]:
        """The heading on ``tok``'s line, split into its title and any run-in text, and where
        that text begins in the line's text (0: there is none).

        ``continued``: body lines follow the heading directly. A 1./（1） item whose line is
        long, has a comma and no sentence end, and runs on into those lines is a run-in
        paragraph broken by a line break: its title ends at the first comma.
        """
        line = self.lines[tok.line - 1]
        text = line.text
        m = self.shapes[tok.type].match(text)       # TokenStream.heading_match
        start = m.end()
        size = len(text)
        end_mark = _TITLE_END.search(text, start)
        stop = end_mark.start() if end_mark else size
        runs_on = (continued and level >= 3 and stop == size
                   and stop - start >= RUN_ON_TITLE and not _ends_paragraph(text))
        if stop - start > MAX_TITLE or runs_on:
            comma = text.find("，", start, stop)
            if comma > start:
                stop = comma
        closed = stop < size and text[stop] in TITLE_END
        title = Text(text[start:stop], _ONE_PIECE, (line, start))     # Text.one
        groups = m.groups()
        number = groups[0] if len(groups) == 1 and groups[0] is not None else \
            next((g for g in groups if g is not None), "")
        # a few dozen distinct numbers and markers over any number of headings: one copy each
        heading = Heading(level, sys.intern(number), sys.intern(m.group(0)), title, line, None, closed)
        return heading, stop + 1 if stop + 1 < size else 0

    def _section(self, children, level: int) -> Section | list:
        tok = children[0]
        paras: list[Line] = []
        subs: list[Section] = []
        for c in children[1:]:
            if type(c) is tuple:        # a run of body lines (para)
                paras += c
            elif type(c) is list:       # lifted out of a synthetic parent
                subs += c
            else:
                subs.append(c)
        if tok.value == "":  # synthetic parent inserted by recovery: lift its children
            return subs
        heading, run_in = self._heading(tok, level, bool(paras))
        if not run_in:
            paragraphs = self._paragraphs(paras) if paras else []
        elif not paras:                 # the usual run-in item: its text is the rest of its line
            heading.run_in = _body(heading.line, run_in, None)
            paragraphs = []
        else:
            paragraphs = self._paragraphs(paras, heading.line, run_in)
            heading.run_in = paragraphs[0].body
            del paragraphs[0]
        return Section(heading, paragraphs, subs)

    def section(self, c):
        return self._section(c, 1)

    def sub2(self, c):
        return self._section(c, 2)

    def sub3(self, c):
        return self._section(c, 3)

    def sub4(self, c):
        return self._section(c, 4)

    def signature(self, children):
        signers = [self._line(c) for c in children if c.type == "SIGNER"]
        dates = [self._line(c) for c in children if c.type == "DATE"]
        return Closing(None, signers, dates[0] if dates else None)

    def closing(self, children):
        closing = Closing()
        for c in children:
            if isinstance(c, Closing):
                closing.signers, closing.date_line = c.signers, c.date_line
            else:
                closing.phrase = self._line(c)
        if closing.date_line is not None:
            written = closing.date_line.text
            closing.iso = iso_date(written)
            closing.date = closing.iso or written
        return closing

    def front(self, children):
        return children

    def start(self, children):
        report = Report(self.lines)
        front, rest = children[0], children[1:]
        opening_lines = []
        for c in front:
            if isinstance(c, tuple):
                opening_lines.extend(c)
                continue
            line = self._line(c)
            if c.type == "ADDRESSEE":
                report.addressee = line
            elif c.type == "TITLE":    # a run of lines of one kind travels as one token
                report.title_lines.extend(self.runs.get(c.line, (line,)))
            else:
                report.preamble.extend(self.runs.get(c.line, (line,)))
        report.title = _title_from(report.title_lines)
        report.opening = self._paragraphs(opening_lines)
        for c in rest:
            if isinstance(c, Section):
                report.sections.append(c)
            elif isinstance(c, list):
                report.sections.extend(c)
            elif isinstance(c, Closing):
                report.closing = c
        return report
