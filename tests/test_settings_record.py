"""Settings records (checker/settingsrecord.py): the settings a configuration and the packs give,
kept so that a run served from the result cache never builds the packs. A record gives exactly
what a build gives, whatever the configuration; a change to a pack, the configuration or the
command line is another record; a damaged record is built afresh; a configuration error is
reported every time; a re-run from the result cache imports neither the loader nor lark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import cache, settingsrecord
from checker.config import ConfigError, Overrides, Resolver

from conftest import ROOT, SEEDS

EXTRA_PACK = """\
pack: extra
title: 额外规则
applies_to: all
rules:
  - id: FZ951
    name: no-draft-mark
    title: 不应留有草稿标记
    severity: warning
    citation: {practice: 定稿前删除草稿标记}
    message: 正文中留有“{match}”字样
    rationale: 定稿的报告不应留有草稿标记。
    check: forbidden_text
    any: [草稿]
    tests:
      - {name: a draft, input: "这是草稿。", want: ["1:3 FZ951"]}
      - {name: final, input: "这是定稿。", want: []}
"""

CONFIGS = {
    "none": None,
    "selection": 'select = ["FZ1", "FZ2"]\nextend-select = ["FZ501"]\nignore = ["FZ105"]\n',
    "per-file": '[per-file-ignores]\n"drafts/*" = ["FZ3"]\n"*.md" = ["FZ501", "FZ502"]\n',
    "severity-options": 'max-file-size = "2MB"\n[severity]\nFZ106 = "warning"\n[rules.FZ306]\ndeadline = "03-01"\n',
    "rule-packs": 'rule-packs = ["packs"]\nignore = ["FZ951"]\n[per-file-ignores]\n"a.txt" = ["FZ9"]\n',
}


@pytest.fixture
def cache_on(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("FZLINT_NO_CACHE", raising=False)
    cache.cache_dir.cache_clear()
    yield folder
    cache.cache_dir.cache_clear()


def _project(tmp_path: Path, config: str | None) -> Path:
    project = tmp_path / "project"
    (project / "packs").mkdir(parents=True)
    (project / "packs" / "extra.yaml").write_text(EXTRA_PACK, encoding="utf-8")
    if config is not None:
        (project / "fzlint.toml").write_text(config, encoding="utf-8")
    return project


def _facts(settings, path: Path) -> tuple:
    return (settings.enabled, settings.per_file_ignores, settings.fingerprint, settings.max_bytes,
            settings.rule_ids, settings.pack_names, settings.enabled_for(path))


def _records(folder: Path) -> list[Path]:
    return sorted(folder.glob("settings-*.json"))


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("overrides", [Overrides(), Overrides(select=["FZ5"], ignore=["FZ505"], max_bytes=1000)])
def test_a_record_gives_what_a_build_gives(tmp_path, cache_on, name, overrides):
    project = _project(tmp_path, CONFIGS[name])
    target = project / "drafts" / "a.md"
    built = Resolver(None, project, overrides).for_path(target)                  # no records: as before
    first = Resolver(None, project, overrides, records=True).for_path(target)    # builds, writes the record
    assert first._registry is not None and len(_records(cache_on)) == 1
    again = Resolver(None, project, overrides, records=True).for_path(target)    # from the record
    assert again._registry is None
    assert _facts(again, target) == _facts(first, target) == _facts(built, target)
    assert again._registry is None                 # none of those needed the packs
    rules = {r.id: (r.severity, r.options) for r in again.registry.rules}      # built when asked for
    assert rules == {r.id: (r.severity, r.options) for r in built.registry.rules}


def test_a_changed_pack_or_command_line_is_another_record(tmp_path, cache_on):
    project = _project(tmp_path, 'rule-packs = ["packs"]\n')
    Resolver(None, project, records=True).first()
    pack = project / "packs" / "extra.yaml"
    pack.write_text(EXTRA_PACK.replace("FZ951", "FZ952"), encoding="utf-8")
    changed = Resolver(None, project, records=True).first()
    assert changed._registry is not None and "FZ952" in changed.rule_ids and "FZ951" not in changed.rule_ids
    narrowed = Resolver(None, project, Overrides(select=["FZ1"]), records=True).first()
    assert narrowed._registry is not None and narrowed.enabled == frozenset(
        r for r in changed.rule_ids if r.startswith("FZ1"))
    assert len(_records(cache_on)) == 3


def test_a_pack_change_that_breaks_the_configuration_is_reported(tmp_path, cache_on):
    project = _project(tmp_path, CONFIGS["rule-packs"])        # ignore = ["FZ951"]
    Resolver(None, project, records=True).first()
    Resolver(None, project, records=True).first()              # from the record
    (project / "packs" / "extra.yaml").write_text(EXTRA_PACK.replace("FZ951", "FZ952"), encoding="utf-8")
    with pytest.raises(ConfigError, match="FZ951"):
        Resolver(None, project, records=True).first()


@pytest.mark.parametrize("damage", [
    lambda v: b"not json",
    lambda v: json.dumps(v[:2]).encode(),
    lambda v: json.dumps([v[0], "0" * 64, v[2]]).encode(),                      # another key's record
    lambda v: json.dumps([v[0], v[1], {**v[2], "enabled": ["FZ999"]}]).encode(),  # a rule no pack has
    lambda v: json.dumps([v[0], v[1], {**v[2], "fingerprint": ""}]).encode(),
    lambda v: json.dumps([v[0], v[1], {**v[2], "max_bytes": True}]).encode(),
    lambda v: json.dumps([v[0], v[1], {**v[2], "pfi": [["*", "FZ101"]]}]).encode(),
])
def test_a_damaged_record_is_built_afresh(tmp_path, cache_on, damage):
    project = _project(tmp_path, CONFIGS["selection"])
    good = Resolver(None, project, records=True).first()
    (record,) = _records(cache_on)
    record.write_bytes(damage(json.loads(record.read_text(encoding="utf-8"))))
    again = Resolver(None, project, records=True).first()
    assert again._registry is not None                          # built, not taken from the record
    assert _facts(again, project / "a.txt") == _facts(good, project / "a.txt")


def test_a_configuration_error_is_reported_every_time(tmp_path, cache_on):
    project = _project(tmp_path, '[severity]\nFZ999 = "warning"\n')
    for _ in range(2):
        with pytest.raises(ConfigError, match="FZ999"):
            Resolver(None, project, records=True).first()
    assert _records(cache_on) == []


def test_the_key_names_every_pack_file_and_the_configuration(tmp_path, cache_on):
    project = _project(tmp_path, CONFIGS["rule-packs"])
    from checker.config import load

    cfg = load(project / "fzlint.toml")
    key = settingsrecord.key(cfg, Overrides())
    (project / "packs" / "more.yaml").write_text(EXTRA_PACK.replace("FZ951", "FZ953").replace("extra", "more"),
                                                 encoding="utf-8")
    assert settingsrecord.key(cfg, Overrides()) != key
    (project / "packs" / "more.yaml").unlink()
    assert settingsrecord.key(cfg, Overrides()) == key
    cfg.severity = {"FZ106": "info"}
    assert settingsrecord.key(cfg, Overrides()) != key


# Which heavy modules a run imported (after it ended), printed on stderr.
_IMPORTED = ("import sys\nfrom checker.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'lark' or m in "
             "('checker.engine.loader', 'checker.engine.checks', 'checker.skeleton.parser')), file=sys.stderr)\n")


def test_a_run_served_from_the_result_cache_builds_no_pack(tmp_path, cache_on):
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*args):
        return subprocess.run([sys.executable, "-c", _IMPORTED, "check", *args, str(folder)], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120)

    first, second = run("--format", "json"), run("--format", "json")
    assert first.stdout == second.stdout and json.loads(second.stdout)
    # the seeds are well formed: the parser builds them without lark's table, even when checked
    assert "checker.engine.loader" in first.stderr and "lark" not in first.stderr
    assert second.stderr.strip() == "[]"
    (folder / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes() + "\n新增一段。\n".encode())
    third = run("--format", "json")                     # one file changed: checked, the packs built
    assert "checker.engine.loader" in third.stderr and json.loads(third.stdout)
    orphan = "娄烦县2023年法治政府建设年度报告\n一、主要举措\n（1）内容。\n"
    (folder / "orphan.txt").write_text(orphan, encoding="utf-8")
    fourth = run("--format", "json")                    # a heading without its parents: lark's table
    assert "lark" in fourth.stderr and "FZ3" in fourth.stdout
