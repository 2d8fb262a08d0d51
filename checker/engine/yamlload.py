"""Load YAML safely and remember the line of every mapping, key and list item.

Only the safe YAML subset is accepted (tags that build Python objects are refused). Mappings
come back as :class:`LDict` and lists as :class:`LList`, which carry 1-based line numbers so
that validation errors can name the line in the rule pack.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 100   # rule packs nest a handful of levels; libyaml's C composer recurses without a limit


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


class _Loader(*((_Base,) if issubclass(_Base, Composer) else (Composer, _Base))):
    """libyaml's scanner and parser (fast), with PyYAML's Python composer on top of them.

    The C composer recurses once per nesting level and crashes the interpreter (SIGSEGV) on
    some 30,000 nested ``[``; the Python one is guarded here to a depth that names the line.
    """

    def __init__(self, stream):
        _Base.__init__(self, stream)
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


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def load(text: str):
    """Parse one YAML document; raise :class:`YamlError` with a line number on any problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
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
