"""Load YAML safely and remember the line of every mapping, key and list item.

Only the safe YAML subset is accepted (tags that build Python objects are refused). Mappings
come back as :class:`LDict` and lists as :class:`LList`, which carry 1-based line numbers so
that validation errors can name the line in the rule pack.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from functools import lru_cache

MAX_DEPTH = 100   # rule packs nest a handful of levels; libyaml's C composer recurses without a limit
CACHE_FORMAT = b"fzlint-yaml-1"   # change when what load() returns changes


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


@lru_cache(maxsize=1)
def _loader():
    """The YAML loader class, built on first use (importing PyYAML costs ~17 ms at start-up,
    which a run whose packs come from the cache never pays)."""
    import yaml
    from yaml.composer import Composer

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(*((base,) if issubclass(base, Composer) else (Composer, base))):
        """libyaml's scanner and parser (fast), with PyYAML's Python composer on top of them.

        The C composer recurses once per nesting level and crashes the interpreter (SIGSEGV)
        on some 30,000 nested ``[``; the Python one is guarded here to a depth that names the
        line.
        """

        def __init__(self, stream):
            base.__init__(self, stream)
            Composer.__init__(self)
            self._depth = 0

        def compose_node(self, parent, index):
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise YamlError(mark.line + 1, f"YAML 嵌套超过 {MAX_DEPTH} 层：规则包只需要几层映射和列表，"
                                                   "请检查这一行的括号是否多余或未闭合")
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

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
        else:
            what += "（请检查这一行和上一行的缩进、引号与括号是否成对）"
        raise YamlError(line, f"YAML 语法错误：{what}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML 错误：{exc}") from None
    except RecursionError:   # not expected past the depth guard; never a crash all the same
        raise YamlError(1, "YAML 嵌套过深：规则包只需要几层映射和列表") from None


# -- the parsed-pack cache ------------------------------------------------------------------
# Parsing a pack is the same every run: the result (LDict/LList with their line numbers) is
# kept in fzlint's cache folder (checker/cache.py) under a hash of the pack's bytes, as
# marshal data (plain values only: loading it runs no code).

def _plain(value):
    if isinstance(value, LDict):
        keys = list(value)
        return ("d", value.line, keys, [value.key_lines[k] for k in keys], [_plain(value[k]) for k in keys])
    if isinstance(value, LList):
        return ("l", value.line, [_plain(v) for v in value], list(value.item_lines))
    return value


def _rebuilt(value):
    if isinstance(value, tuple):
        if value[0] == "d":
            _, line, keys, key_lines, values = value
            out = LDict(zip(keys, map(_rebuilt, values)))
            out.line, out.key_lines = line, dict(zip(keys, key_lines))
            return out
        _, line, items, item_lines = value
        out = LList(map(_rebuilt, items))
        out.line, out.item_lines = line, item_lines
        return out
    return value


def load_cached(raw: bytes):
    """:func:`load` of ``raw`` (UTF-8 bytes), from fzlint's cache when this exact text was
    parsed before. Raises what :func:`load` and ``bytes.decode`` raise."""
    from checker.cache import cache_dir, write_atomically

    folder = cache_dir()
    key = hashlib.sha256(CACHE_FORMAT + b"\0" + raw).hexdigest()
    path = folder / f"pack-{key}.marshal" if folder is not None else None
    if path is not None:
        try:
            stored = marshal.loads(path.read_bytes())
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
                return _rebuilt(stored[1])
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = load(raw.decode("utf-8"))
    if path is not None:
        try:
            blob = marshal.dumps((key, _plain(data)))
        except ValueError:      # a value marshal cannot hold (e.g. a YAML date): not cached
            return data
        write_atomically(path, blob)
    return data
