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
