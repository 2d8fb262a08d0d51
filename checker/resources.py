"""Locate the grammar and the built-in rule packs.

In a wheel they live in ``checker/_data/`` (mapped there by pyproject's force-include); in a
source checkout or an editable install they are the top-level ``grammar/`` and ``rules/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PKG / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PKG.parent / name


def grammar_path() -> Path:
    return _data_dir("grammar") / "report.lark"


def rules_dir() -> Path:
    return _data_dir("rules")


# A rule pack is written by hand: the shipped ones are ~28 KB. Reading stops past this size
# (a pack folder may hold anything a *.yaml name can: a FIFO, a device, a huge file).
MAX_PACK_BYTES = 5 * 1024 * 1024


def pack_paths(dirs=None) -> list[Path]:
    """The rule pack files a run loads, in order: every ``*.yaml`` of the built-in rules folder,
    then of each extra folder (an extra path that is not a folder is one pack file)."""
    paths: list[Path] = []
    for d in [rules_dir(), *(dirs or [])]:
        paths.extend(sorted(Path(d).glob("*.yaml")) if Path(d).is_dir() else [Path(d)])
    return paths
