"""Checking a report leaves no reference cycles through fzlint's own objects.

A report's model (lines, texts, sections) is a few hundred objects. Without cycles they are
freed by reference counting the moment the report is dropped; one cycle through the model (a
self-referencing closure once did this) kept all of them until the cyclic collector ran,
which in a batch cost about a tenth of the run time in collections of half-built models.
(python-docx's and pypdf's own objects do form cycles; they are left to the collector.)"""

from __future__ import annotations

import gc
import html
from pathlib import Path

import pytest

from checker.lint import lint_path, lint_paths

from conftest import ROOT, SEEDS

OFFICE = sorted((ROOT / "tests" / "data" / "libreoffice").iterdir())


@pytest.fixture
def garbage():
    """Runs the test body with the collector paused; returns a function that collects and
    lists what was cyclic garbage."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()

    def collect() -> list:
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            found = list(gc.garbage)
        finally:
            gc.garbage.clear()
            gc.set_debug(0)
        return found

    try:
        yield collect
    finally:
        if was:
            gc.enable()


def ours(objects: list) -> list[str]:
    """fzlint's objects and functions among ``objects``."""
    def home(o) -> str:
        return (getattr(o, "__module__", None) if callable(o) and not isinstance(o, type)
                else type(o).__module__) or ""
    return sorted({getattr(o, "__qualname__", type(o).__qualname__) for o in objects
                   if home(o).split(".")[0] == "checker"})


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_a_text_report_leaves_no_garbage_at_all(path: Path, registry, garbage):
    result = lint_path(path, registry)
    assert result.checked and result.report is not None
    del result
    assert garbage() == []


def test_markdown_and_html_leave_no_garbage(tmp_path, registry, garbage):
    text = SEEDS[0].read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    (tmp_path / "a.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    results = list(lint_paths([str(tmp_path)], registry))
    assert [r.checked for r in results] == [True, True]
    del results
    assert garbage() == []


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_an_office_report_leaves_no_cycle_through_the_model(path: Path, registry, garbage):
    result = lint_path(path, registry)
    assert result.checked and result.report is not None
    del result
    assert ours(garbage()) == []


def test_a_batch_with_broken_files_leaves_no_cycle_through_our_objects(tmp_path, registry, garbage):
    for i, seed in enumerate(SEEDS):
        (tmp_path / f"{i}.txt").write_bytes(seed.read_bytes())
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8 not text")
    results = list(lint_paths([str(tmp_path)], registry))
    assert len(results) == len(SEEDS) + 3
    del results
    assert ours(garbage()) == []
