"""The settings record: what :class:`checker.config.Resolver` derived from a configuration and
the rule packs (the enabled rules, the per-file ignores, the fingerprint of the settings, every
rule id and pack name), kept in fzlint's cache folder so that a later run with the same inputs
need not load and build the packs. A run whose files are all served from the result cache then
never imports the check types nor builds a rule (~80 ms of a re-run over 2,000 files); a run
that checks a file builds the registry when the first file needs it.

**Key.** The sha256 of: :data:`FORMAT`, fzlint itself (``resultcache.code_fingerprint``: its
code, grammar, Python's and the libraries' versions), each rule pack file as the run would load
it (path and content), the parsed configuration (every field, its path included) and the
command line's selection and size limit. Building the settings is a function of exactly these,
so a record found under its key is what a build would give; any change is another key.

**Written only after a build that raised nothing**: a configuration or pack error is reported
on every run as before (no record is ever made of it). Plain JSON, checked field by field when
read (a damaged, planted or truncated record is a miss: the settings are built afresh).
"""

from __future__ import annotations

import json
import os

from checker import resources
from checker.digest import sha256

FORMAT = "fzlint-settings-1"


def key(cfg, overrides) -> str | None:
    """The record's key for a configuration and the command line's overrides; None when a pack
    file cannot be read (the build then reports it)."""
    from checker.fileio import read_regular
    from checker.resultcache import code_fingerprint

    h = sha256(f"{FORMAT}\0{code_fingerprint()}\0".encode())
    try:
        for path in resources.pack_paths(cfg.rule_packs):
            data = read_regular(path, resources.MAX_PACK_BYTES)
            h.update(f"{os.fspath(path)}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
            h.update(data)
    except Exception:  # noqa: BLE001 - missing, not a file, too large: the build says what
        return None
    config = [str(cfg.path) if cfg.path is not None else None, cfg.select, cfg.extend_select, cfg.ignore,
              list(cfg.per_file_ignores.items()), cfg.max_bytes, [str(p) for p in cfg.rule_packs], cfg.severity,
              cfg.rules, cfg.prefix]
    given = [overrides.select, overrides.ignore, overrides.extend_select, overrides.max_bytes]
    try:
        blob = json.dumps([config, given], ensure_ascii=False, default=repr)    # TOML dates: repr
    except (TypeError, ValueError, RecursionError):
        return None
    h.update(blob.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(record_key: str):
    from checker.cache import cache_dir

    folder = cache_dir()
    return folder / f"settings-{record_key}.json" if folder is not None else None


def read(record_key: str) -> dict | None:
    """The record stored under ``record_key``, of exactly the shape :func:`write` gives; None
    when there is none or it is not of that shape."""
    from checker.cache import read_entry

    path = _path(record_key)
    raw = read_entry(path) if path is not None else None
    if raw is None:
        return None
    try:
        fmt, stored, value = json.loads(raw)
        if fmt != FORMAT or stored != record_key or type(value) is not dict or len(value) != 6:
            return None
        enabled, pfi, fingerprint, max_bytes = value["enabled"], value["pfi"], value["fingerprint"], value["max_bytes"]
        rules, packs = value["rules"], value["packs"]
        known = set(rules) if _strings(rules) else set()
        ok = (known and _strings(packs) and type(fingerprint) is str and fingerprint
              and (enabled is None or (_strings(enabled) and known.issuperset(enabled)))
              and type(max_bytes) is int and max_bytes > 0 and type(pfi) is list
              and all(type(p) is list and len(p) == 2 and type(p[0]) is str and _strings(p[1])
                      and known.issuperset(p[1]) for p in pfi))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not ok:
        return None
    return {"enabled": None if enabled is None else frozenset(enabled),
            "pfi": [(glob, frozenset(codes)) for glob, codes in pfi], "fingerprint": fingerprint,
            "max_bytes": max_bytes, "rules": frozenset(rules), "packs": frozenset(packs)}


def _strings(value) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def write(record_key: str, settings) -> None:
    """Keep what was built for ``record_key`` (errors only cost the next run a build)."""
    from checker.cache import write_atomically

    path = _path(record_key)
    if path is None or not settings.fingerprint:
        return
    value = {"enabled": None if settings.enabled is None else sorted(settings.enabled),
             "pfi": [[glob, sorted(codes)] for glob, codes in settings.per_file_ignores],
             "fingerprint": settings.fingerprint, "max_bytes": settings.max_bytes,
             "rules": sorted(settings.rule_ids), "packs": sorted(settings.pack_names)}
    try:
        blob = json.dumps([FORMAT, record_key, value], ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return
    write_atomically(path, blob)
