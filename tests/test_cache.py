"""fzlint's cache folder (checker/cache.py): parsed rule packs and lark's tables, per user,
keyed by content; a missing, foreign or damaged cache only costs time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from checker import cache
from checker.engine import yamlload

from conftest import ROOT

PACKS = sorted((ROOT / "rules").glob("*.yaml"))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    target = tmp_path / "cache"
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(target))
    cache.cache_dir.cache_clear()
    yield target
    cache.cache_dir.cache_clear()


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_a_cached_pack_is_the_parsed_pack_with_its_lines(folder, pack, monkeypatch):
    raw = pack.read_bytes()
    parsed = yamlload.load(raw.decode("utf-8"))
    first = yamlload.load_cached(raw)                 # parses and stores
    assert len(list(folder.glob("pack-*.marshal"))) == 1
    monkeypatch.setattr(yamlload, "load", lambda text: pytest.fail("parsed again"))
    second = yamlload.load_cached(raw)                # from the cache: no YAML parsing
    for data in (first, second):
        assert yamlload._plain(data) == yamlload._plain(parsed)     # values and every line number
    rule = second["rules"][3]
    assert isinstance(rule, yamlload.LDict) and rule.line == parsed["rules"][3].line
    assert rule.line_of("message") == parsed["rules"][3].line_of("message")


def test_a_changed_pack_gets_its_own_entry(folder):
    yamlload.load_cached(b"a: 1\n")
    data = yamlload.load_cached(b"a: 2\nb: [x, y]\n")
    assert data == {"a": 2, "b": ["x", "y"]} and data["b"].line_of(1) == 2
    assert len(list(folder.glob("pack-*.marshal"))) == 2


def test_a_damaged_entry_is_parsed_again(folder):
    yamlload.load_cached(b"a: 1\n")
    (entry,) = folder.glob("pack-*.marshal")
    entry.write_bytes(b"\x00garbage")
    assert yamlload.load_cached(b"a: 1\n") == {"a": 1}
    entry.write_bytes(entry.read_bytes()[:5])
    assert yamlload.load_cached(b"a: 1\n") == {"a": 1}


def test_values_marshal_cannot_hold_are_not_cached(folder):
    data = yamlload.load_cached(b"when: 2024-03-31\n")      # YAML makes a date of it
    assert str(data["when"]) == "2024-03-31"
    assert not list(folder.glob("pack-*.marshal"))


def test_the_folder_is_private(folder):
    assert cache.cache_dir() == folder
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(folder):
    folder.mkdir()
    folder.chmod(0o777)
    assert cache.cache_dir() is None
    assert yamlload.load_cached(b"a: 1\n") == {"a": 1}       # works, uncached
    assert not list(folder.iterdir())


def test_an_unusable_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(blocker / "cache"))
    cache.cache_dir.cache_clear()
    try:
        assert cache.cache_dir() is None
        assert yamlload.load_cached(b"a: [1]\n") == {"a": [1]}
    finally:
        cache.cache_dir.cache_clear()


def test_the_cli_works_without_a_cache_and_fills_an_empty_one(tmp_path):
    seed = ROOT / "seeds" / "000_eded0069a967b318.txt"
    outputs = []
    for setting in (str(tmp_path / "none" / "x"), str(tmp_path / "fresh"), str(tmp_path / "fresh")):
        if setting.endswith("x"):
            (tmp_path / "none").write_text("")            # a file where the folder should be
        env = {**os.environ, "FZLINT_CACHE_DIR": setting}
        proc = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "concise", str(seed)],
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
        assert proc.stderr == ""
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0]
    names = sorted(p.name for p in (tmp_path / "fresh").iterdir())
    assert names[-1] == "report-grammar.lark-cache" and len(names) == 1 + len(PACKS)


def test_nothing_is_written_outside_the_folder(folder, tmp_path):
    yamlload.load_cached(b"a: 1\n")
    assert {p.parent for p in tmp_path.rglob("*") if p.is_file()} == {folder}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
