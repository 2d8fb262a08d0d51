"""Declared option schemas, validated with errors that name the YAML line.

Each check type declares ``OPTIONS = {"name": Opt(...)}``, like yamllint's ``CONF``; the
registry validates every rule's options against it and refuses unknown keys.
"""

from __future__ import annotations

from typing import Any

from checker.engine.yamlload import LDict, LList
from checker.record import Record


class SchemaError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


_TYPE_NAMES = {
    "str": "字符串",
    "int": "整数",
    "signed_int": "整数（可为负）",
    "bool": "布尔值（true/false）",
    "str_list": "非空的字符串列表",
    "str_lists": "非空的列表，每项是非空的字符串列表",
    "list": "非空的列表",
}


class Opt(Record, frozen=True):
    type: str                 # one of _TYPE_NAMES
    required: bool = False
    default: Any = None
    choices: tuple = ()
    help: str = ""


def _is_str_list(v) -> bool:
    return isinstance(v, list) and len(v) > 0 and all(isinstance(x, str) and x for x in v)


def _check_type(opt: Opt, value) -> bool:
    t = opt.type
    if t == "str":
        return isinstance(value, str) and value != ""
    if t == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if t == "signed_int":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "bool":
        return isinstance(value, bool)
    if t == "str_list":
        return _is_str_list(value)
    if t == "list":
        return isinstance(value, list) and len(value) > 0
    if t == "str_lists":
        return isinstance(value, list) and len(value) > 0 and all(_is_str_list(g) for g in value)
    raise AssertionError(t)


def validate(mapping: LDict, schema: dict[str, Opt], owner: str, extra_known=()) -> dict:
    """Validate ``mapping`` against ``schema``; return values with defaults.

    Keys in ``extra_known`` are allowed but validated by the caller; any other key not in
    the schema is an error naming its line.
    """
    out = {}
    for key in mapping:
        if key not in schema and key not in extra_known:
            known = "、".join(sorted([*schema, *extra_known])) or "（无）"
            raise SchemaError(mapping.line_of(key), f"{owner}：未知的选项“{key}”（可用选项：{known}）")
    for name, opt in schema.items():
        if name not in mapping:
            if opt.required:
                raise SchemaError(mapping.line, f"{owner}：缺少必填选项“{name}”")
            out[name] = opt.default
            continue
        value = mapping[name]
        if not _check_type(opt, value):
            raise SchemaError(mapping.line_of(name),
                              f"{owner}：选项“{name}”应为{_TYPE_NAMES[opt.type]}，实际为 {value!r}")
        if opt.choices and value not in opt.choices:
            raise SchemaError(mapping.line_of(name),
                              f"{owner}：选项“{name}”的值 {value!r} 无效，可选：{'、'.join(map(str, opt.choices))}")
        out[name] = list(value) if isinstance(value, LList) else value
    return out
