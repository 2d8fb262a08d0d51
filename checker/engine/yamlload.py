"""Load YAML safely and remember the line of every mapping, key and list item.

Only the safe YAML subset is accepted (tags that build Python objects are refused). Mappings
come back as :class:`LDict` and lists as :class:`LList`, which carry 1-based line numbers so
that validation errors can name the line in the rule pack.

The work a pack can cause is bounded before anything walks its data: the nesting depth, and
the size of the tree with every alias expanded (an alias repeats a whole subtree: nine
aliases nine levels deep make a 1 KB "billion laughs" file describe 9**9 nodes, which every
walk of the data, from validation to the cache, would visit).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from checker.digest import sha256

MAX_DEPTH = 100   # rule packs nest a handful of levels; libyaml's C composer recurses without a limit
# Budgets on the tree with aliases expanded. The shipped packs have ~1,200 nodes and ~13,000
# characters of scalars each (rules/fazhi.yaml, rules/core.yaml); a pack with a few thousand
# keywords stays far below. Beyond them a pack is refused after well under a second of work
# (composing stops at the 50,001st node; the construction that would follow is ~10x that).
MAX_NODES = 50_000
MAX_CHARS = 5_000_000
CACHE_FORMAT = b"fzlint-yaml-2"   # change when what load() returns or the entry format changes


class LDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


def _depth_error(line: int) -> YamlError:
    return YamlError(line, f"YAML 嵌套超过 {MAX_DEPTH} 层：规则包只需要几层映射和列表，"
                           "请检查这一行的括号是否多余或未闭合")


_TAG_NAMES = {"int": "整数", "float": "小数", "timestamp": "日期", "bool": "布尔值", "binary": "base64 数据"}


@lru_cache(maxsize=1)
def _loader():
    """The YAML loader class, built on first use (importing PyYAML costs ~17 ms at start-up,
    which a run whose packs come from the cache never pays)."""
    import yaml
    from yaml.composer import Composer
    from yaml.events import AliasEvent

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(*((base,) if issubclass(base, Composer) else (Composer, base))):
        """libyaml's scanner and parser (fast), with PyYAML's Python composer on top of them.

        The C composer recurses once per nesting level and crashes the interpreter (SIGSEGV)
        on some 30,000 nested ``[``; the Python one is guarded here to a depth that names the
        line. Each composed node carries ``_fz_size``: (nodes, characters) of its subtree with
        aliases expanded, the sum of its children's; a node past the budgets is refused where
        it ends, before anything is constructed.
        """

        def __init__(self, stream):
            base.__init__(self, stream)
            Composer.__init__(self)
            self._depth = 0
            self._composed = 0
            self._line = 1        # of the last scalar read

        def compose_node(self, parent, index):
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise _depth_error(self.peek_event().start_mark.line + 1)
                alias = self.peek_event() if self.check_event(AliasEvent) else None
                node = super().compose_node(parent, index)
            finally:
                self._depth -= 1
            if alias is not None and not hasattr(node, "_fz_size"):     # an alias inside its own anchor
                raise YamlError(alias.start_mark.line + 1,
                                f"YAML 别名 *{alias.anchor} 引用了包含它自身的内容（循环引用）")
            return node

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            node._fz_size = (1, len(node.value))
            self._line = node.start_mark.line + 1
            return self._budget(node)

        def compose_sequence_node(self, anchor):
            node = super().compose_sequence_node(anchor)
            sizes = [child._fz_size for child in node.value]
            node._fz_size = (1 + sum(s[0] for s in sizes), sum(s[1] for s in sizes))
            return self._budget(node)

        def compose_mapping_node(self, anchor):
            node = super().compose_mapping_node(anchor)
            sizes = [part._fz_size for pair in node.value for part in pair]
            node._fz_size = (1 + sum(s[0] for s in sizes), sum(s[1] for s in sizes))
            return self._budget(node)

        def _budget(self, node):
            self._composed += 1
            if self._composed > MAX_NODES:      # a long file without aliases: stop reading here
                raise YamlError(self._line,
                                f"YAML 内容过多：到这一行已超过 {MAX_NODES:,} 个节点，规则包通常只有一两千个，"
                                "未继续读取；请检查是否放错了文件或列出了过多的关键词")
            nodes, chars = node._fz_size
            if nodes > MAX_NODES or chars > MAX_CHARS:
                what = (f"超过 {MAX_NODES:,} 个节点" if nodes > MAX_NODES else f"文字超过 {MAX_CHARS:,} 个字符")
                raise YamlError(node.start_mark.line + 1,
                                f"YAML 内容过多：从这一行开始的内容展开别名（*引用）后{what}，"
                                "规则包通常只有一两千个节点；请检查别名是否层层重复引用")
            return node

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, OverflowError):   # a scalar its tag cannot hold
                tag = str(node.tag).rsplit(":", 1)[-1]
                value = node.value if isinstance(node.value, str) else ""
                shown = value if len(value) <= 30 else value[:30] + "…"
                raise YamlError(node.start_mark.line + 1,
                                f"YAML 值“{shown}”无法读作{_TAG_NAMES.get(tag, '!!' + tag)}；"
                                "如果是文字，请加引号") from None

    _Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
    _Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
    return _Loader


def _key(loader, key_node):
    key = loader.construct_object(key_node, deep=True)
    try:
        hash(key)
    except TypeError:
        raise YamlError(key_node.start_mark.line + 1, "映射的键必须是标量") from None
    return key


def _mapping(loader, node):
    explicit = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = _key(loader, key_node)
        if key in explicit:
            raise YamlError(key_node.start_mark.line + 1, f"键“{key}”重复")
        explicit.add(key)
    loader.flatten_mapping(node)  # merged keys (<<: *anchor) come first; explicit ones override
    out = LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = _key(loader, key_node)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader, node):
    out = LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


# PyYAML's problem texts (scanner, parser, composer; the same in libyaml's C loader), in
# Chinese: a pack's author reads them. An unknown one is shown as is, marked as PyYAML's.
# (Patterns compiled when a pack has an error: re caches them; compiling all 18 at import
# cost each start 1 ms.)
_PROBLEMS = [
    (r"did not find expected ','? ?or '?([\]}])'?", "流式列表或映射缺少逗号或右括号“{0}”"),
    (r"did not find expected ','", "流式列表或映射中缺少逗号"),
    (r"did not find expected key", "此处应为映射的键（缩进可能不一致）"),
    (r"did not find expected '-' indicator", "此处应为以“-”开头的列表项（缩进可能不一致）"),
    (r"did not find expected node content", "此处缺少值"),
    (r"could not find expected ':'", "键后缺少冒号“:”"),
    (r"mapping values are not allowed", "此处不能出现“键: 值”（冒号后的值可能需要加引号，或缩进有误）"),
    (r"found character '(.)' that cannot start any token", "字符“{0}”不能出现在值的开头（请给值加引号）"),
    (r"found character that cannot start any token", "此处的字符不能出现在值的开头（请给值加引号）"),
    (r"found unexpected end of stream", "文件在引号或括号闭合前结束"),
    (r"found undefined alias '?([^']*)'?", "引用了未定义的锚点“{0}”"),
    (r"found duplicate anchor", "锚点名称重复"),
    (r"expected <block end>, but found '?([^']*)'?", "缩进不一致：此处出现了意外的“{0}”"),
    (r"expected a single document in the stream",
     "规则包只能包含一个 YAML 文档（不要用“---”分隔多个文档）"),
    (r"found a tab character", "缩进中有制表符，请改用空格"),
    (r"found unknown escape character", "双引号字符串中有无效的转义（反斜杠本身请写两个，或改用单引号）"),
    (r"found unexpected ':'", "此处的冒号“:”有误（值中含冒号时请加引号）"),
    (r"unacceptable character", "文件中含有 YAML 不允许的控制字符"),
]


def chinese_problem(what: str) -> str:
    """PyYAML's problem text in Chinese (unknown ones kept, marked as PyYAML's)."""
    for pattern, text in _PROBLEMS:
        m = re.search(pattern, what)
        if m:
            return text.format(*(g or "" for g in m.groups()))
    return f"PyYAML 报告：{what}"


def load(text: str):
    """Parse one YAML document; raise :class:`YamlError` with a line number on any problem."""
    loader = _loader()
    import yaml

    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - the loader derives from SafeLoader
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if "could not determine a constructor" in what:
            quoted = re.search(r"'([^']+)'", what)
            tag = (quoted.group(1) if quoted else what).replace("tag:yaml.org,2002:", "!!")
            what = f"不允许的 YAML 标签 {tag}：规则包只能使用普通的映射、列表和标量"
        elif "maximum nesting depth" in what:
            # libyaml 0.2.5 refuses more than 1,000 levels while scanning ahead, before the
            # composer's guard above sees level 101: the same mistake, the same message
            raise _depth_error(line) from None
        else:
            what = chinese_problem(what) + "（请检查这一行和上一行的缩进、引号与括号是否成对）"
        raise YamlError(line, f"YAML 语法错误：{what}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML 错误：{exc}") from None
    except RecursionError:   # not expected past the depth guard; never a crash all the same
        raise YamlError(1, "YAML 嵌套过深：规则包只需要几层映射和列表") from None


# -- the parsed-pack cache ------------------------------------------------------------------
# Parsing a pack is the same every run: the result (LDict/LList with their line numbers) is
# kept in fzlint's cache folder (checker/cache.py) under a hash of the pack's bytes, as JSON
# (data only: reading it runs no code). The entry is [key, data]: an LDict is {"d": [line,
# keys, key lines, values]}, an LList {"l": [line, items, item lines]}, scalars are JSON's own
# (no other object occurs). Values JSON cannot hold exactly (a YAML date, binary, a set) make
# the pack uncached. An entry is used only if every object in it has exactly that shape;
# anything else is parsed again.

_SCALARS = (str, int, float, bool, type(None))


class _Uncacheable(Exception):
    pass


def _plain(value):
    if isinstance(value, LDict):
        keys = list(value)
        if not all(type(k) in _SCALARS for k in keys):
            raise _Uncacheable
        return {"d": [value.line, keys, [value.key_lines[k] for k in keys], [_plain(value[k]) for k in keys]]}
    if isinstance(value, LList):
        return {"l": [value.line, [_plain(v) for v in value], list(value.item_lines)]}
    if type(value) in _SCALARS:
        return value
    raise _Uncacheable


_INT = {int}


def _rebuilt(obj: dict):
    """``json.loads``'s object hook: :func:`_plain`'s objects back (inner ones first, so the
    values are already rebuilt); ValueError for an object of any other shape. A key JSON
    gives that is not a scalar is a list or a mapping, which cannot be hashed: TypeError,
    which :func:`load_cached` takes as a bad entry too. (Line types are checked with
    ``set(map(type, ...))``: C loops, this runs for every mapping and list at every start.)"""
    if len(obj) == 1:
        body = obj.get("d")
        if body is not None:
            if type(body) is list and len(body) == 4:
                line, keys, key_lines, values = body
                if (type(line) is int and type(keys) is list and type(values) is list and type(key_lines) is list
                        and len(keys) == len(values) == len(key_lines) and set(map(type, key_lines)) <= _INT):
                    out = LDict(zip(keys, values))
                    if len(out) == len(keys):
                        out.line, out.key_lines = line, dict(zip(keys, key_lines))
                        return out
        else:
            body = obj.get("l")
            if type(body) is list and len(body) == 3:
                line, items, item_lines = body
                if (type(line) is int and type(items) is list and type(item_lines) is list
                        and len(items) == len(item_lines) and set(map(type, item_lines)) <= _INT):
                    out = LList(items)
                    out.line, out.item_lines = line, item_lines
                    return out
    raise ValueError("not fzlint's encoding")


def cache_key(digest: str) -> str:
    """The cache entry's key for a text whose sha256 (hex) is ``digest``."""
    return sha256(CACHE_FORMAT + b"\0" + digest.encode("ascii")).hexdigest()


def load_cached(raw: bytes, digest: str | None = None):
    """:func:`load` of ``raw`` (UTF-8 bytes), from fzlint's cache when this exact text was
    parsed before. ``digest``: ``raw``'s sha256 (hex) when the caller has it (the loader
    keeps it as the pack's digest: the pack is hashed once). Raises what :func:`load` and
    ``bytes.decode`` raise."""
    from checker.cache import cache_dir, read_entry, write_atomically

    folder = cache_dir()
    key = cache_key(digest if digest is not None else sha256(raw).hexdigest())
    path = folder / f"pack-{key}.json" if folder is not None else None
    if path is not None:
        stored = read_entry(path)
        if stored is not None:
            try:
                stored_key, data = json.loads(stored, object_hook=_rebuilt)    # the only objects: LDict, LList
                if stored_key == key:
                    return data
            except (ValueError, TypeError, RecursionError):   # not JSON, or not of the shape: parse again
                pass
    data = load(raw.decode("utf-8"))
    if path is not None:
        try:
            blob = json.dumps([key, _plain(data)], ensure_ascii=False).encode("utf-8")
        except (_Uncacheable, ValueError, RecursionError):   # e.g. a YAML date: not cached
            return data
        write_atomically(path, blob)
    return data
