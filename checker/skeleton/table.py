"""The LALR table path of the parser: lark's parser for grammar/report.lark, its tables kept
as JSON in fzlint's cache folder, and the loop that runs them with the error recovery.

A token stream the grammar takes as it is (every well-formed report) is built by
``parser._build_directly`` without any of this; only a stream that needs the table (a missing
parent level, text after the closing, a grammar whose rules changed) imports this module, and
with it lark (~35 ms of a cold start: importing lark and loading the tables).
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache, partial
from weakref import WeakKeyDictionary

import lark as _lark
from lark import Lark, Transformer
from lark.exceptions import UnexpectedToken
from lark.grammar import Rule
from lark.lexer import Lexer, PatternRE, TerminalDef
from lark.parsers.lalr_analysis import Shift

from checker import resources
from checker.cache import cache_dir, read_entry, write_atomically
from checker.digest import sha256
from checker.skeleton.lexer import LineToken, Shapes, TokenStream
from checker.skeleton.parser import _RULE_DEF, _TERMINAL_DEF, _Build


class LineLexer(Lexer):
    """Lark custom lexer: yields the pre-classified tokens from a :class:`TokenStream`."""

    def __init__(self, lexer_conf):  # noqa: D107 - lark's interface
        pass

    def lex(self, stream: TokenStream, *_):  # type: ignore[override]
        tokens = stream.tokens
        while stream.pos < len(tokens):
            tok = tokens[stream.pos]
            stream.pos += 1
            yield tok


class LarkBuild(_Build, Transformer):
    """The model builder as lark's transformer: lark calls its methods at each reduction and
    gives inlined rules to Transformer's ``__default__``."""

    def __init__(self):
        Transformer.__init__(self, visit_tokens=False)
        _Build.__init__(self)


@lru_cache(maxsize=1)
def parser() -> tuple[Lark, Shapes, LarkBuild]:
    """The parser, built once per process. The model builder is handed to lark as its
    ``transformer``: lark's LALR parser then calls it at each reduction, so no parse tree is
    built and walked again. The builder is told the report's lines before each parse."""
    grammar = resources.grammar_path().read_text(encoding="utf-8")
    builder = LarkBuild()
    folder = cache_dir()
    path = folder / TABLES_FILE if folder is not None else None
    key = f"{TABLES_FORMAT}\0{_lark.__version__}\0{sys.version_info[:2]}\0{grammar}"
    key = sha256(key.encode("utf-8")).hexdigest()
    lark = _cached_tables(path, key, grammar, builder) if path is not None else None
    if lark is None:
        lark = Lark(grammar, transformer=builder, **_LARK_OPTIONS)
        if path is not None:
            _store_tables(path, key, lark)
    return lark, Shapes.from_terminals(lark.terminals), builder


_DRIVERS: WeakKeyDictionary = WeakKeyDictionary()


def driver(lark: Lark) -> _Driver:
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
