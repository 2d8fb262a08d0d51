"""Click's usage errors in Chinese, in one place.

Click writes its own errors in English (``Usage: …``, ``Error: Missing argument 'PATHS...'``,
``Invalid value for '--fail-on': 'foo' is not one of …``, ``No such option``). fzlint's users
read Chinese, so every usage error is shown here as one line, ``fzlint: <what is wrong>；用法见
fzlint check --help``, exit code 2, built from the exception's fields (the option, the value,
the choices), not from click's English text. :func:`localize` gives each parameter a type whose
conversion errors carry the value in Chinese; :func:`show` prints any usage error.

The ``--help`` texts stay in English (the option names are English anyway); every message a
run prints is Chinese.
"""

from __future__ import annotations

import copy
import os
import re

import click


def _cjk(text: str) -> bool:
    """Does ``text`` hold a Chinese character or CJK punctuation (is it fzlint's own message)?
    Compared directly: the pattern's class took 2.4 ms to compile at every start, for a test
    made only when a usage error is shown."""
    return any("\u3000" <= ch <= "\u303f" or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
               for ch in text)

# what a command's argument is, for "缺少参数 PATHS（要检查的文件或文件夹）"
_ARGUMENTS = {
    "paths": "要检查的文件或文件夹，`-` 为标准输入",
    "file": "一个报告文件，`-` 为标准输入",
    "code": "规则代码或名称，如 FZ202",
    "report": "一个报告文件",
}


def localize(group: click.Group) -> None:
    """Give every parameter of ``group``'s commands a type whose conversion errors are Chinese
    (a copy of its type, of a subclass that only rewrites the error)."""
    for command in [group, *group.commands.values()]:
        for param in command.params:
            if type(param.type) in _TRANSLATED:
                zh = copy.copy(param.type)
                zh.__class__ = _zh_class(type(param.type))
                param.type = zh


_TRANSLATED = (click.Choice, click.IntRange, click.FloatRange, click.Path,
               type(click.INT), type(click.FLOAT))
_CLASSES: dict[type, type] = {}


def _zh_class(base: type) -> type:
    if base not in _CLASSES:
        def convert(self, value, param, ctx):
            try:
                return base.convert(self, value, param, ctx)
            except click.BadParameter:
                raise click.BadParameter(invalid(self, value), ctx=ctx, param=param) from None

        _CLASSES[base] = type(f"Zh{base.__name__}", (base,), {"convert": convert, "__slots__": ()})
    return _CLASSES[base]


def invalid(kind: click.ParamType, value) -> str:
    """Why ``value`` is not a valid value of ``kind``, in Chinese (without the option's name)."""
    shown = f"“{value}”"
    if isinstance(kind, click.Choice):
        return f"{shown}无效，可选：{'、'.join(map(str, kind.choices))}"
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        number = "整数" if isinstance(kind, click.IntRange) else "数"
        bounds = []
        if kind.min is not None:
            bounds.append(f"{'大于' if kind.min_open else '不小于'} {kind.min}")
        if kind.max is not None:
            bounds.append(f"{'小于' if kind.max_open else '不大于'} {kind.max}")
        return f"{shown}无效，应为{'且'.join(bounds)} 的{number}" if bounds else f"{shown}无效，应为{number}"
    if isinstance(kind, type(click.INT)):
        return f"{shown}无效，应为整数"
    if isinstance(kind, type(click.FLOAT)):
        return f"{shown}无效，应为数字"
    if isinstance(kind, click.Path):
        path = os.fsdecode(value) if isinstance(value, bytes) else str(value)
        if not kind.dir_okay and os.path.isdir(path):
            return f"{shown}是文件夹，应为文件"
        if not kind.file_okay and os.path.exists(path) and not os.path.isdir(path):
            return f"{shown}是文件，应为文件夹"
        if kind.exists and not os.path.lexists(path):
            return f"{shown}不存在"
        return f"{shown}无法使用（没有权限）"
    return f"{shown}无效"


def _names(param: click.Parameter | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return param.human_readable_name


def message(exc: click.ClickException, command: click.Command | None = None) -> str:
    """The Chinese one-line message of a usage error (``command``: the command whose options
    were being parsed, when the exception does not carry its context)."""
    if isinstance(exc, click.NoSuchOption):
        close = f"（是否应为 {'、'.join(exc.possibilities)}？）" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{close}"
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)     # click >= 8.4
    if no_such_command is not None and isinstance(exc, no_such_command):
        return _no_command(exc.command_name, exc.ctx)
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        if isinstance(param, click.Argument):
            what = _ARGUMENTS.get(param.name or "")
            return f"缺少参数 {param.human_readable_name}" + (f"（{what}）" if what else "")
        return f"缺少选项 {_names(param) or exc.param_hint}"
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else _names(exc.param)
        what = "参数" if isinstance(exc.param, click.Argument) else "选项"
        if _cjk(exc.message):
            return f"{what} {hint}：{exc.message}"
        return f"{what} {hint} 的值无效（{exc.message}）"
    text = exc.format_message()
    if isinstance(exc, click.BadOptionUsage):
        param = _option(exc.ctx.command if exc.ctx is not None else command, exc.option_name)
        if (param is not None and (param.is_flag or param.count)) or "does not take a value" in text:
            return f"选项 {exc.option_name} 不接受值"
        return f"选项 {exc.option_name} 后面缺少值"
    m = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", text, re.DOTALL)
    if m:
        return f"多余的参数：{m.group(1)}"
    if re.fullmatch(r"Missing command\.?", text):
        return f"缺少命令（可用：{_commands(exc.ctx)}）"
    m = re.fullmatch(r"No such command '(.*)'\.", text, re.DOTALL)     # click < 8.4
    if m:
        return _no_command(m.group(1), exc.ctx)
    if _cjk(text):          # fzlint's own usage errors
        return text
    return f"命令行用法有误（{text}）"


def _option(command: click.Command | None, name: str) -> click.Option | None:
    if command is None:
        return None
    return next((p for p in command.params if isinstance(p, click.Option) and name in p.opts + p.secondary_opts),
                None)


def _commands(ctx: click.Context | None) -> str:
    group = ctx.command if ctx is not None else None
    names = sorted(group.commands) if isinstance(group, click.Group) else []
    return "、".join(names)


def _no_command(name: str, ctx: click.Context | None) -> str:
    import difflib

    group = ctx.command if ctx is not None else None
    names = sorted(group.commands) if isinstance(group, click.Group) else []
    close = difflib.get_close_matches(name, names, n=1)
    return f"没有命令 {name}" + (f"（是否应为 {close[0]}？）" if close else f"（可用：{'、'.join(names)}）")


def show(exc: click.ClickException, group: click.Group, args: list[str]) -> None:
    """Print a click exception: a usage error as one Chinese line naming the help to read.
    ``group`` and ``args``: the command line, for errors raised without their command's context
    (click's option parser raises some so)."""
    if not isinstance(exc, click.UsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
        return
    ctx = exc.ctx
    command = None
    if ctx is not None:
        where = ctx.command_path
    else:
        name = next((a for a in args if a in group.commands), None)
        command = group.commands.get(name) if name else None
        where = f"fzlint {name}" if name else "fzlint"
    own = type(exc) is click.UsageError and _cjk(exc.format_message())   # says what to do
    click.echo(f"fzlint: {message(exc, command)}" + ("" if own else f"；用法见 {where} --help"), err=True)
