"""The wheel ships the grammar and rule packs, and an unpacked wheel runs from anywhere.

Builds the wheel with hatchling's Python API (no network, no build isolation), checks that
pyproject's force-include mapped ``grammar/`` and ``rules/`` into ``checker/_data/``, then runs
``python -m checker check --format json`` on a seed from a directory outside the repository
with only the unpacked wheel on PYTHONPATH, and compares with the in-repo library.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from checker.engine.registry import load_registry
from checker.lint import lint_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

REQUIRED = (
    "checker/_data/grammar/report.lark",
    "checker/_data/rules/fazhi.yaml",
    "checker/_data/rules/core.yaml",
    # `fzlint serve`'s page (Jinja2's PackageLoader reads them from the package)
    "checker/serve/templates/page.html",
    "checker/serve/templates/macros.html",
    "checker/serve/templates/page.css",
    "checker/serve/templates/page.js",
)


def _clean_env(pythonpath: Path) -> dict[str, str]:
    """The current environment minus every PYTHON* variable, plus PYTHONPATH=<pythonpath>."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(pythonpath)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# -s: no user site-packages. PYTHONPATH entries come before site-packages (and before the
# editable install's .pth entry for the repository), and the cwd put first by -m is an empty
# temporary directory, so `checker` resolves to the unpacked wheel; the probe below proves it.
FLAGS = ["-s"]


def test_wheel_contains_data_and_runs_from_elsewhere(tmp_path):
    from hatchling.builders import wheel as wheel_mod  # a test extra: never skipped
    dist = tmp_path / "dist"
    dist.mkdir()
    built = list(wheel_mod.WheelBuilder(str(ROOT)).build(directory=str(dist), versions=["standard"]))
    assert len(built) == 1 and built[0].endswith(".whl"), built
    wheel = Path(built[0])

    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = [n for n in REQUIRED if n not in names]
        assert not missing, f"wheel lacks {missing}; has {sorted(names)}"
        site = tmp_path / "site"
        zf.extractall(site)

    work = tmp_path / "elsewhere"
    work.mkdir()
    seed = work / SEEDS[0].name
    shutil.copyfile(SEEDS[0], seed)
    assert not (work / "checker").exists()
    assert ROOT not in work.resolve().parents and work.resolve() != ROOT

    env = _clean_env(site)

    # Prove the interpreter started exactly like the run below imports the unpacked wheel,
    # and that the grammar and packs come from its checker/_data, not from the repository.
    probe = subprocess.run(
        [sys.executable, *FLAGS, "-c",
         "import json, checker, checker.resources as r;"
         "print(json.dumps([checker.__file__, str(r.grammar_path()), str(r.rules_dir())]))"],
        cwd=work, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    checker_file, grammar, rules = (Path(p).resolve() for p in json.loads(probe.stdout))
    site_r = site.resolve()
    assert checker_file == site_r / "checker" / "__init__.py"
    assert grammar == site_r / "checker" / "_data" / "grammar" / "report.lark"
    assert rules == site_r / "checker" / "_data" / "rules"

    proc = subprocess.run(
        [sys.executable, *FLAGS, "-m", "checker", "check", "--format", "json", seed.name],
        cwd=work, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr)
    got = json.loads(proc.stdout)
    assert isinstance(got, list)
    assert all(d["path"] == seed.name for d in got)

    expected = [d.to_dict() for d in lint_path(seed, load_registry(), display=seed.name).diagnostics]
    assert expected, "the seed should produce at least one finding, or this test proves little"

    def strip(ds):
        return [{k: v for k, v in d.items() if k != "path"} for d in ds]

    assert strip(got) == strip(expected)
