"""fzlint's cache folder (checker/cache.py): parsed rule packs and lark's tables, per user,
keyed by content; a missing, foreign, damaged or planted cache only costs time, and never
runs code."""

from __future__ import annotations

import json
import os
import re
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
    assert len(list(folder.glob("pack-*.json"))) == 1
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
    assert len(list(folder.glob("pack-*.json"))) == 2


def test_a_damaged_entry_is_parsed_again(folder):
    yamlload.load_cached(b"a: 1\n")
    (entry,) = folder.glob("pack-*.json")
    entry.write_bytes(b"\x00garbage")
    assert yamlload.load_cached(b"a: 1\n") == {"a": 1}
    entry.write_bytes(entry.read_bytes()[:5])
    assert yamlload.load_cached(b"a: 1\n") == {"a": 1}


@pytest.mark.parametrize("body", [
    '{"d": [1, [["a"]], [1], [1]]}',                  # a key that is a list
    '{"d": [1, [{"l": [1, [], []]}], [1], [1]]}',     # a key that is a mapping of fzlint's
    '{"d": [1, ["a"], ["1"], [1]]}',                  # a key's line that is not a number
    '{"d": [1, ["a", "a"], [1, 1], [1, 2]]}',         # a key twice
    '{"l": [1, [1, 2], [1]]}',                        # fewer lines than items
    '{"x": [1, [], []]}', '{"d": [1, [], []]}', '{"d": 1, "l": 2}',
])
def test_an_entry_of_another_shape_is_parsed_again(folder, body):
    yamlload.load_cached(b"a: 1\n")
    (entry,) = folder.glob("pack-*.json")
    key = json.loads(entry.read_bytes())[0]
    entry.write_text(f'["{key}", {body}]', encoding="utf-8")
    data = yamlload.load_cached(b"a: 1\n")
    assert data == {"a": 1} and data.line_of("a") == 1


def test_values_json_cannot_hold_are_not_cached(folder):
    data = yamlload.load_cached(b"when: 2024-03-31\n")      # YAML makes a date of it
    assert str(data["when"]) == "2024-03-31"
    assert not list(folder.glob("pack-*.json"))


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


# A report whose 4th-level heading lacks its parents: the direct builder does not take it, the
# parser's table (and its recovery) does
NEEDS_TABLE = "娄烦县2023年法治政府建设年度报告\n一、主要举措\n（1）内容。\n"


@pytest.mark.parametrize("needs_table", [False, True])
def test_the_cli_works_without_a_cache_and_fills_an_empty_one(tmp_path, needs_table):
    seed = ROOT / "seeds" / "000_eded0069a967b318.txt"
    if needs_table:
        seed = tmp_path / "report.txt"
        seed.write_text(NEEDS_TABLE, encoding="utf-8")
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
    # the parser's tables are written only by a run that needed them
    assert ("report-grammar.json" in names) is needs_table and len(names) == needs_table + len(PACKS)


def test_nothing_is_written_outside_the_folder(folder, tmp_path):
    yamlload.load_cached(b"a: 1\n")
    assert {p.parent for p in tmp_path.rglob("*") if p.is_file()} == {folder}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------------------
# Entries fzlint did not write (issue 14): a cache folder restored from a CI cache or shared

SEED = ROOT / "seeds" / "000_eded0069a967b318.txt"
PLANTED = r"""
import os, pickle, sys
class Payload:
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[1],))
sys.stdout.buffer.write(pickle.dumps(Payload()))
"""


def _cli(cache_folder, *args):
    env = {**os.environ, "FZLINT_CACHE_DIR": str(cache_folder)}
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)


def _payload(marker) -> bytes:
    """A pickle whose loading runs ``touch marker``."""
    return subprocess.run([sys.executable, "-c", PLANTED, str(marker)], capture_output=True, check=True).stdout


def _old_lark_header(grammar_cache) -> bytes:
    """The first line lark's own cache had at fzlint's old cache path (lark checks it before
    unpickling the rest): made by lark itself, with the options fzlint passed it."""
    from lark import Lark

    from checker import resources
    from checker.skeleton.table import LarkBuild, LineLexer

    Lark(resources.grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer=LineLexer,
         cache=str(grammar_cache), maybe_placeholders=False, transformer=LarkBuild())
    return grammar_cache.read_bytes().split(b"\n", 1)[0] + b"\n"


def test_a_pickle_planted_under_any_cache_name_never_runs(tmp_path):
    """Every name fzlint's cache uses or used (the JSON entries, lark's pickle, the marshal
    entries), filled with a pickle whose loading would create a file: no file appears and the
    findings are those of a run with a clean cache. Before this change lark unpickled the
    planted ``report-grammar.lark-cache`` at the next start."""
    folder, marker = tmp_path / "cache", tmp_path / "pwned"
    report = tmp_path / "report.txt"        # a report that needs the parser's tables
    report.write_text(NEEDS_TABLE, encoding="utf-8")
    clean = _cli(folder, "check", "--format", "concise", str(report))
    assert clean.stderr == "" and clean.stdout
    payload = _payload(marker)
    names = [p.name for p in folder.iterdir()]
    assert "report-grammar.json" in names and any(n.startswith("pack-") for n in names)
    old_keys = [yamlload.sha256(b"fzlint-yaml-1\0" + p.read_bytes()).hexdigest() for p in PACKS]
    for name in names:
        (folder / name).write_bytes(payload)
    for key in old_keys:
        (folder / f"pack-{key}.marshal").write_bytes(payload)
    lark_cache = folder / "report-grammar.lark-cache"
    header = _old_lark_header(lark_cache)
    lark_cache.write_bytes(header + payload)
    for _ in range(2):      # the planted entries, then the entries written again
        run = _cli(folder, "check", "--format", "concise", str(report))
        assert (run.returncode, run.stdout, run.stderr) == (clean.returncode, clean.stdout, "")
        assert not marker.exists()
    assert (folder / "report-grammar.json").read_bytes().startswith(b"[")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_or_a_symlink_under_a_cache_name_is_not_read(tmp_path):
    """A FIFO under an entry's name (no writer: reading it would wait forever) and a symlink to
    a device under another are passed over; fzlint works and writes its own entries."""
    folder = tmp_path / "cache"
    clean = _cli(folder, "check", "--format", "concise", str(SEED))
    entries = sorted(folder.iterdir())
    for i, entry in enumerate(entries):
        entry.unlink()
        if i % 2:
            os.symlink("/dev/zero", entry)
        else:
            os.mkfifo(entry)
    run = _cli(folder, "check", "--format", "concise", str(SEED))
    assert (run.returncode, run.stdout, run.stderr) == (clean.returncode, clean.stdout, "")
    assert all(entry.is_file() and not entry.is_symlink() for entry in entries)   # replaced by real entries


def test_the_parser_tables_come_from_the_cache(folder, monkeypatch):
    from checker.skeleton import parser, table

    table.parser.cache_clear()
    try:
        built = table.parser()[0]
        assert (folder / table.TABLES_FILE).is_file()
        table.parser.cache_clear()
        monkeypatch.setattr(table, "Lark", _NoBuild)
        loaded = table.parser()[0]
        assert loaded is not built and loaded.parser.parser._parse_table.states
        for text in (SEED.read_text(encoding="utf-8"), NEEDS_TABLE):
            assert repr(_parse_with(parser, table, loaded, text)) == repr(_parse_with(parser, table, built, text))
    finally:
        table.parser.cache_clear()


class _NoBuild:
    """Stands in for lark.Lark: loading from a dict works, building the tables fails."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("the tables were built, not loaded")

    @staticmethod
    def _load_from_dict(data, memo, **kwargs):
        from lark import Lark

        return Lark._load_from_dict(data, memo, **kwargs)


def _parse_with(parser, table, lark, text):
    """``parser.parse(text)`` through ``lark``'s table (the direct builder off)."""
    from checker.skeleton.lexer import Shapes

    real, direct = table.parser, parser._skeleton()[1]
    builder = lark.options.transformer
    table.parser = lambda: (lark, Shapes.from_terminals(lark.terminals), builder)
    direct.direct, was = False, direct.direct
    try:
        return parser.parse(text)
    finally:
        table.parser, direct.direct = real, was


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-key", "object", "class", "pattern", "priority",
                                    "shift", "options"])
def test_a_damaged_or_forged_table_entry_is_built_afresh(folder, damage):
    """Damaged entries, and well-formed JSON that lark would load but that does not fit the
    grammar (a terminal's pattern swapped for a catastrophic one, a priority, a shift to a
    state that does not exist, another lexer option), are not used."""
    import json

    from checker.skeleton import table

    table.parser.cache_clear()
    try:
        table.parser()
        entry = folder / table.TABLES_FILE
        raw = entry.read_bytes()
        key, data, memo = json.loads(raw)
        text = raw.decode("utf-8")
        forged = {
            "garbage": b"\x80\x04garbage",
            "truncated": raw[: len(raw) // 2],
            "other-key": json.dumps(["0" * 64, data, memo]).encode(),
            "object": text.replace('{"\\u0000t": [0, ', '{"\\u0000reduce": [0, ', 1).encode(),
            "class": text.replace('{"\\u0000c": "LineLexer"}', '{"\\u0000c": "Lark"}', 1).encode(),
            "pattern": text.replace('".+"', '"(a+)+$"', 1).encode(),
            "priority": text.replace('"priority": 9', '"priority": 10', 1).encode(),
            "shift": re.sub(r'\{"\\u0000t": \[0, \d+\]\}', '{"\\\\u0000t": [0, 9999]}', text, count=1).encode(),
            "options": text.replace('"maybe_placeholders": false', '"maybe_placeholders": true', 1).encode(),
        }[damage]
        assert forged != raw
        entry.write_bytes(forged)
        table.parser.cache_clear()
        calls = []
        real = table.Lark

        class Counting(real):
            def __init__(self, *args, **kwargs):
                calls.append(1)
                super().__init__(*args, **kwargs)

        table.Lark = Counting
        try:
            lark = table.parser()[0]
        finally:
            table.Lark = real
        assert calls == [1]                                        # built afresh
        assert {t.pattern.value for t in lark.terminals if t.name == "TEXT"} == {".+"}
        again = entry.read_bytes()                                 # and stored again (lark numbers
        assert again != forged and json.loads(again)[0] == key     # its states anew each build)
    finally:
        table.parser.cache_clear()


def test_a_forged_pack_entry_of_the_wrong_shape_is_parsed_again(folder):
    import json

    data = yamlload.load_cached(b"a: [1, 2]\n")
    (entry,) = folder.glob("pack-*.json")
    key, _ = json.loads(entry.read_bytes())
    for forged in ([key, {"d": [1, ["a"], [1], []]}],                        # a key without a value
                   [key, {"d": [1, ["a"], ["x"], [1]]}],                     # a line that is not a number
                   [key, {"x": [1]}],                                        # an unknown object
                   [key, {"l": [1, [{"d": [1, [{"l": [1, [], []]}], [1], [1]]}], [1]]}],   # a key that is a list
                   [key, {"l": [1, [1, 2], [1]]}],                           # an item without its line
                   [key], "[" * 100_000):
        entry.write_text(json.dumps(forged) if not isinstance(forged, str) else forged, encoding="utf-8")
        again = yamlload.load_cached(b"a: [1, 2]\n")
        assert again == data and again["a"].line_of(1) == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_writing_an_entry_never_follows_a_planted_symlink(folder, tmp_path):
    """The temporary file of an entry is created new: a symlink planted under its name (the
    process id is easy to guess in a CI container) is replaced, never written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    raw = b"a: 1\n"
    key = yamlload.cache_key(yamlload.sha256(raw).hexdigest())
    folder.mkdir(mode=0o700)
    os.symlink(victim, folder / f".pack-{key}.json.{os.getpid()}.tmp")
    os.symlink(victim, folder / f"pack-{key}.json")
    assert yamlload.load_cached(raw) == {"a": 1}
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (folder / f"pack-{key}.json").is_file() and not (folder / f"pack-{key}.json").is_symlink()
