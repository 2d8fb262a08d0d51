"""Configuration: ``fzlint.toml`` or ``[tool.fzlint]`` in ``pyproject.toml``.

```toml
[tool.fzlint]                 # in fzlint.toml the same keys sit at the top level
select = ["FZ1", "FZ2"]       # codes, code prefixes or rule names
extend-select = ["FZ308"]     # added to select (or to every rule when select is not set)
ignore = ["FZ105"]
rule-packs = ["my-rules"]     # extra folders of *.yaml packs, relative to this file
max-file-size = "20MB"        # larger files are not read (FZ909)

[tool.fzlint.severity]
FZ106 = "warning"             # error | warning | info

[tool.fzlint.per-file-ignores]
"drafts/*" = ["FZ3"]          # globs relative to this file's folder; no "/": the file name

[tool.fzlint.rules.FZ306]     # a rule's options, checked against its check type's schema
deadline = "03-01"
```

Each checked file gets the configuration found by walking up from its folder (the first
``fzlint.toml``, or ``pyproject.toml`` with a ``[tool.fzlint]`` table); a file with none
above it gets the one above the current directory, if any. ``--config`` names one file for
the whole run. Command-line ``--select``/``--ignore`` replace the file's lists and
``--extend-select`` adds to them. Every unknown key, unknown rule code and bad value is a
:class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checker.diagnostics import Severity
from checker.engine.errors import SelectionError
from checker.fileio import NotRegular, TooLarge, read_regular
from checker.oserror import reason
from checker.record import Factory, Record
from checker.sources import DEFAULT_MAX_BYTES, parse_size

if TYPE_CHECKING:
    from checker.engine.registry import Registry

# The registry (checker/engine: the loader, every check type, the packs' rules) is imported
# when settings are built or a file is checked: a run served from the result cache and a
# settings record (checker/settingsrecord.py) never loads it.

KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "rule-packs", "max-file-size",
        "severity", "rules")


class ConfigError(Exception):
    def __init__(self, path: Path | str, key: str, message: str):
        super().__init__(f"{path}: {key}: {message}" if key else f"{path}: {message}")
        self.path, self.key, self.message = str(path), key, message


class Config(Record):
    path: Path | None = None
    select: list[str] = Factory(list)
    extend_select: list[str] = Factory(list)
    ignore: list[str] = Factory(list)
    per_file_ignores: dict[str, list[str]] = Factory(dict)
    max_bytes: int | None = None
    rule_packs: list[Path] = Factory(list)
    severity: dict[str, str] = Factory(dict)
    rules: dict[str, dict] = Factory(dict)
    prefix: str = ""       # "tool.fzlint." in pyproject.toml, for naming keys in errors


MAX_CONFIG_BYTES = 1024 * 1024   # a configuration is a few hundred bytes; pyproject.toml a few KB


def load(path: Path | None) -> Config:
    if path is None:
        return Config()
    if sys.version_info >= (3, 11):   # imported here: most runs have no configuration file
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    text = ""
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
        data = tomllib.loads(text)
    except NotRegular as exc:
        raise ConfigError(path, "", "这是目录而不是文件" if exc.is_dir
                          else "不是普通文件（管道、设备或套接字），未读取") from None
    except TooLarge as exc:
        raise ConfigError(path, "", f"配置文件超过 {exc.limit // 1024} KB，不像是配置文件，未读取") from None
    except OSError as exc:
        raise ConfigError(path, "", f"无法读取配置文件（{reason(exc, path=path)}）") from None
    except UnicodeDecodeError:
        raise ConfigError(path, "", "配置文件不是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", toml_problem(exc, text)) from None
    except (RecursionError, MemoryError):   # tomllib recurses once per nested array or table
        raise ConfigError(path, "", "TOML 嵌套过深：配置文件只需要几层表和列表") from None
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("fzlint") if isinstance(tool, dict) else None
        prefix = "tool.fzlint."
        if not isinstance(data, dict):
            raise ConfigError(path, "tool.fzlint", "没有 [tool.fzlint] 表" if data is None
                              else f"应为表（[tool.fzlint]），实际为 {data!r}")
    return _parse(path, data, prefix)


# tomllib's (and tomli's) messages, in Chinese: (pattern of the message, its translation)
# (compiled when a configuration has a TOML error: not at every start)
_TOML_ZH = (
    (r"Invalid statement", "无效的语句（每行应为“键 = 值”或 [表名]）"),
    (r"Expected newline or end of document after a statement", "一条语句之后应换行（一行只能写一个“键 = 值”）"),
    (r"Expected '\]' at the end of a table declaration", "表名缺少“]”"),
    (r"Expected '\]\]' at the end of an array declaration", "表数组名缺少“]]”"),
    (r"Expected '=' after a key in a key/value pair", "键之后应为“=”"),
    (r"Expected (.+)", "此处应为 \\1"),
    (r"Found invalid character (.+)", "非法字符 \\1"),
    (r"Cannot declare (.+) twice", "表 \\1 重复声明"),
    (r"Cannot overwrite a value", "键重复（同一个键只能赋值一次）"),
    (r"Cannot mutate immutable namespace (.+)", "不能再向已写完的 \\1 添加内容"),
    (r"Cannot redefine namespace (.+)", "不能重新定义 \\1"),
    (r"Invalid initial character for a key part", "键的第一个字符无效（中文等非 ASCII 字符的键要加双引号）"),
    (r"Unclosed array", "列表没有闭合（缺少“]”，或元素之间缺少逗号）"),
    (r"Duplicate inline table key (.+)", "内联表中的键 \\1 重复"),
    (r"Unclosed inline table", "内联表没有闭合（缺少“}”，或元素之间缺少逗号）"),
    (r"Unescaped '\\' in a string", "字符串中的反斜杠“\\”没有转义（路径请用单引号，或写成“\\\\”）"),
    (r"Invalid hex value", "无效的十六进制转义"),
    (r"Escaped character is not a Unicode scalar value", "转义的字符不是有效的 Unicode 字符"),
    (r"Unterminated string", "字符串缺少结束的引号"),
    (r"Illegal character (.+)", "字符串中有非法字符 \\1"),
    (r"Invalid date or datetime", "无效的日期或时间"),
    (r"Invalid value", "无效的值（字符串要加双引号，如 \"FZ105\"）"),
)
_TOML_AT = r"(.*) \(at (?:line (\d+), column (\d+)|end of document)\)"


def toml_problem(exc: Exception, text: str) -> str:
    """A TOML syntax error in Chinese, with its line and column (tomllib puts them at the end of
    its English message: ``Unclosed array (at line 3, column 1)``, ``(at end of document)``)."""
    m = re.fullmatch(_TOML_AT, str(exc), re.DOTALL)
    message = m.group(1) if m else str(exc)
    for pattern, zh in _TOML_ZH:
        pattern = re.compile(pattern)
        hit = pattern.fullmatch(message)
        if hit:
            message = zh.replace("\\1", hit.group(1)) if pattern.groups else zh
            break
    if m is None:
        return f"TOML 语法错误：{message}"
    if m.group(2) is None:       # at the end: the last line
        return f"TOML 语法错误：第 {len(text.splitlines()) or 1} 行（文件末尾）：{message}"
    return f"TOML 语法错误：第 {m.group(2)} 行第 {m.group(3)} 列：{message}"


def _short(value) -> str:
    """A value for a message, cut to a readable length (a 400-digit number is one line)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _str_list(path, key, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(path, key, f"应为字符串列表，实际为 {value!r}")
    return value


def _parse(path: Path, data: dict, prefix: str) -> Config:
    for key in data:
        if key not in KEYS:
            raise ConfigError(path, prefix + key, f"未知的配置项（可用：{'、'.join(KEYS)}）")
    cfg = Config(path=path, prefix=prefix)
    cfg.select = _str_list(path, prefix + "select", data.get("select", []))
    cfg.extend_select = _str_list(path, prefix + "extend-select", data.get("extend-select", []))
    cfg.ignore = _str_list(path, prefix + "ignore", data.get("ignore", []))
    pfi = data.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(path, prefix + "per-file-ignores", "应为表（\"glob\" = [\"FZ105\", ...]）")
    cfg.per_file_ignores = {glob: _str_list(path, f'{prefix}per-file-ignores."{glob}"', codes)
                            for glob, codes in pfi.items()}
    if "max-file-size" in data:
        try:
            cfg.max_bytes = parse_size(data["max-file-size"])
        except ValueError:
            raise ConfigError(path, prefix + "max-file-size",
                              "应为大小，如 \"20MB\"、\"512KB\" 或字节数（上限 1TB），"
                              f"实际为 {_short(data['max-file-size'])}") from None
    cfg.rule_packs = [(path.parent / p) for p in _str_list(path, prefix + "rule-packs", data.get("rule-packs", []))]
    for d in cfg.rule_packs:
        if not os.path.isdir(d):
            raise ConfigError(path, prefix + "rule-packs", f"规则包目录 {d} 不存在")
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(path, prefix + "severity", "应为表（代码 = \"error\"|\"warning\"|\"info\"）")
    for code, level in severity.items():
        if level not in ("error", "warning", "info"):
            raise ConfigError(path, f"{prefix}severity.{code}", f"级别 {level!r} 无效，可选 error、warning、info")
    cfg.severity = dict(severity)
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise ConfigError(path, prefix + "rules", "应为表，每条规则一个子表，如 [tool.fzlint.rules.FZ306]")
    cfg.rules = {code: dict(opts) for code, opts in rules.items()}
    return cfg


def apply(cfg: Config, registry: Registry) -> Registry:
    """A registry with the configured severities and rule options."""
    from checker.engine.registry import Registry

    prefix = cfg.prefix
    for code in cfg.severity:
        if registry.rule(code) is None:
            raise ConfigError(cfg.path, f"{prefix}severity.{code}", "没有这条规则（可用 `fzlint rules` 查看）")
    for code in cfg.rules:
        if registry.rule(code) is None:
            raise ConfigError(cfg.path, f"{prefix}rules.{code}", "没有这条规则（可用 `fzlint rules` 查看）")
    packs = []
    for pack in registry.packs:
        rules = []
        for rule in pack.rules:
            changes = {}
            if rule.id in cfg.severity:
                changes["severity"] = Severity.parse(cfg.severity[rule.id])
            if rule.id in cfg.rules:
                changes["options"] = _options(cfg, prefix, rule, pack)
            rules.append(rule.replace(**changes) if changes else rule)
        packs.append(pack.replace(rules=rules))
    return Registry(packs)


def _options(cfg: Config, prefix: str, rule, pack) -> dict:
    from checker.engine.registry import prepare_options
    from checker.engine.schema import SchemaError, validate
    from checker.engine.yamlload import LDict

    key = f"{prefix}rules.{rule.id}"
    merged = LDict({**rule.raw_options, **cfg.rules[rule.id]})
    merged.line, merged.key_lines = 0, {}
    module = rule.module
    for name in cfg.rules[rule.id]:
        if name not in module.OPTIONS:
            raise ConfigError(cfg.path, f"{key}.{name}",
                              f"{rule.id}（{rule.check}）没有这个选项（可用：{'、'.join(module.OPTIONS)}）")
    try:
        options = validate(merged, module.OPTIONS, rule.id)
        return prepare_options(module, rule.check, options, pack, {k: 0 for k in module.OPTIONS}, rule.id, 0)
    except SchemaError as exc:
        raise ConfigError(cfg.path, key, exc.message) from None


class Settings:
    """What applies to the files governed by one configuration file (or by none).

    ``registry``: the loaded packs with the configuration applied, built on first use when the
    settings came from a settings record (``build`` makes it; ``rule_ids`` and ``pack_names``
    are then known without it)."""

    def __init__(self, registry: Registry | None, enabled: frozenset[str] | None, root: Path,
                 per_file_ignores: list[tuple[str, frozenset[str]]] | None = None, config: Path | None = None,
                 max_bytes: int | None = DEFAULT_MAX_BYTES, fingerprint: str = "", *,
                 build=None, rule_ids: frozenset[str] | None = None, pack_names: frozenset[str] | None = None):
        self._registry = registry
        self._build = build
        self.enabled = enabled                  # None: every rule
        self.root = root                        # per-file-ignores globs are relative to this
        self.per_file_ignores = per_file_ignores if per_file_ignores is not None else []
        self.config = config
        self.max_bytes = max_bytes
        # what, besides the selection, decides the findings: the packs' content, the configured
        # severities and rule options, the size limit ("" when unknown: results are not cached)
        self.fingerprint = fingerprint
        self._rule_ids = rule_ids
        self._pack_names = pack_names

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = self._build()
        return self._registry

    @property
    def rule_ids(self) -> frozenset[str]:
        """Every rule's id (the registry's, or the record's)."""
        if self._rule_ids is None:
            self._rule_ids = frozenset(r.id for r in self.registry.rules)
        return self._rule_ids

    @property
    def pack_names(self) -> frozenset[str]:
        if self._pack_names is None:
            self._pack_names = frozenset(p.name for p in self.registry.packs)
        return self._pack_names

    def enabled_for(self, path: Path) -> frozenset[str] | None:
        """The rules enabled for one file: the selection minus its per-file ignores."""
        ignored = {code for glob, codes in self.per_file_ignores if _matches(glob, path, self.root)
                   for code in codes}
        if not ignored:
            return self.enabled
        everything = self.enabled if self.enabled is not None else self.rule_ids
        return everything - ignored


def _matches(glob: str, path: Path, root: Path) -> bool:
    try:
        rel = Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        rel = Path(path).as_posix()
    return fnmatch.fnmatchcase(rel, glob) or ("/" not in glob and fnmatch.fnmatchcase(Path(path).name, glob))


class Overrides(Record):
    """Command-line selection, which wins over the configuration file's."""

    select: list[str] = Factory(list)
    ignore: list[str] = Factory(list)
    extend_select: list[str] = Factory(list)
    max_bytes: int | None = None


class Resolver:
    """Finds and caches the settings of each checked file's configuration."""

    def __init__(self, config_path: Path | None, cwd: Path, overrides: Overrides | None = None,
                 records: bool = False):
        self.cwd = cwd.resolve()
        self.records = records      # use settings records (checker/settingsrecord.py): runs with a result cache
        self.fixed = config_path
        self.overrides = overrides or Overrides()
        self._found: dict[Path, Path | None] = {}
        self._by_folder: dict[str, Path | None] = {}
        self._settings: dict[Path | None, Settings] = {}
        self._registries: dict[tuple, Registry] = {}
        self.default_config = config_path if config_path is not None else self._find(self.cwd)

    def for_path(self, path: Path) -> Settings:
        if self.fixed is not None:
            config = self.fixed
        else:
            # once per folder as named, not per file (os.path.abspath costs more than the rest)
            named = os.path.dirname(path)
            try:
                config = self._by_folder[named]
            except KeyError:
                folder = os.path.dirname(os.path.abspath(path))
                config = self._by_folder[named] = self._find(Path(folder)) or self.default_config
        if config not in self._settings:
            self._settings[config] = self._build(config)
        return self._settings[config]

    def first(self) -> Settings:
        """The settings for the current directory (commands that check no file)."""
        return self.for_path(self.cwd / "_")

    def _find(self, start: Path) -> Path | None:
        chain: list[Path] = []
        found = None
        for d in [start, *start.parents]:
            if d in self._found:
                found = self._found[d]
                break
            chain.append(d)
            found = _config_in(d)
            if found is not None:
                break
        for d in chain:
            self._found[d] = found
        return found

    def _build(self, config: Path | None) -> Settings:
        cfg = load(config)
        root = config.parent.resolve() if config is not None else self.cwd
        if not self.records:
            return self._built(cfg, config, root)
        from checker import settingsrecord

        record_key = settingsrecord.key(cfg, self.overrides)
        record = settingsrecord.read(record_key) if record_key is not None else None
        if record is None:
            settings = self._built(cfg, config, root)
            if record_key is not None:
                settingsrecord.write(record_key, settings)
            return settings
        return Settings(None, record["enabled"], root, record["pfi"], config, record["max_bytes"],
                        record["fingerprint"], build=lambda: self._registry(cfg), rule_ids=record["rules"],
                        pack_names=record["packs"])

    def _registry(self, cfg: Config) -> Registry:
        """The loaded packs of ``cfg`` with its severities and options applied (validated as
        when the record was made: the same inputs)."""
        from checker.engine.registry import load_registry

        key = tuple(cfg.rule_packs)
        if key not in self._registries:
            self._registries[key] = load_registry(cfg.rule_packs)
        return apply(cfg, self._registries[key])

    def _built(self, cfg: Config, config: Path | None, root: Path) -> Settings:
        from checker.engine.registry import select_rules

        registry = self._registry(cfg)
        for key, values in (("select", cfg.select), ("extend-select", cfg.extend_select),
                            ("ignore", cfg.ignore)):
            try:
                select_rules(registry, values, [])   # every selector must name a rule
            except SelectionError as exc:
                raise ConfigError(cfg.path, cfg.prefix + key, str(exc)) from None
        o = self.overrides
        enabled = select_rules(registry, o.select or cfg.select, o.ignore or cfg.ignore,
                               [*cfg.extend_select, *o.extend_select])
        pfi = []
        for glob, codes in cfg.per_file_ignores.items():
            try:
                pfi.append((glob, select_rules(registry, codes, []) or frozenset()))
            except SelectionError as exc:
                raise ConfigError(cfg.path, f'{cfg.prefix}per-file-ignores."{glob}"', str(exc)) from None
        max_bytes = o.max_bytes or cfg.max_bytes or DEFAULT_MAX_BYTES
        return Settings(registry, enabled, root, pfi, config, max_bytes, _fingerprint(cfg, registry, max_bytes))


def _fingerprint(cfg: Config, registry: Registry, max_bytes: int) -> str:
    """A hash of what decides a file's findings besides its content, its rule selection and
    fzlint itself (checker/resultcache.py adds those): "" when a pack's content is unknown."""
    import json

    from checker.digest import sha256

    if not all(p.digest for p in registry.packs):
        return ""
    data = [[[p.name, p.digest] for p in registry.packs], cfg.severity, cfg.rules, max_bytes]
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)   # TOML dates: repr
    return sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _config_in(d: Path) -> Path | None:
    candidate = d / "fzlint.toml"
    if os.path.isfile(candidate):   # False, not PermissionError, in a folder that cannot be searched
        return candidate
    pyproject = d / "pyproject.toml"
    try:
        if pyproject.is_file() and b"[tool.fzlint" in read_regular(pyproject, MAX_CONFIG_BYTES):
            return pyproject
    except TooLarge:       # load() says so: a pyproject.toml of over 1 MB is not a project's
        return pyproject
    except OSError:        # unreadable, or not a regular file after all (NotRegular)
        return None
    return None
