"""The documentation is generated from what it documents and must not go stale: the rule
reference from the YAML, the README's samples from real runs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from checker.reporters.rules_doc import check_types_markdown, markdown

from conftest import ROOT, SEED_FILES


def test_rule_reference_is_current(registry):
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == markdown(registry), "docs/rules.md is stale: run `fzlint rules --format markdown > docs/rules.md`"


CHECK_TYPES_DOC = ROOT / "docs" / "check-types.md"


def test_check_type_reference_is_current(update_golden):
    """docs/check-types.md is generated from the check modules' docstrings and declared OPTIONS."""
    if update_golden:
        CHECK_TYPES_DOC.write_text(check_types_markdown(), encoding="utf-8")
    assert CHECK_TYPES_DOC.read_text(encoding="utf-8") == check_types_markdown(), \
        "docs/check-types.md is stale: run `python -m pytest tests/test_docs.py --update-golden`"


def test_every_option_of_every_check_type_is_explained():
    from checker.engine.checks import CHECK_TYPES

    text = check_types_markdown()
    for name, module in CHECK_TYPES.items():
        section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        for option, opt in module.OPTIONS.items():
            assert opt.help, f"{name}: option {option} has no help text"
            assert f"| `{option}` |" in section and opt.help in section, (name, option)
        for param in module.PARAMS:
            assert f"`{{{param}}}`" in section, (name, param)


def test_the_check_types_sample_rule_is_a_working_rule(tmp_path):
    """The rule shown at the top of docs/check-types.md loads, and its examples pass."""
    from checker import packtest
    from checker.engine.registry import load_registry

    sample = re.search(r"^```yaml\n(.*?)^```", check_types_markdown(), re.MULTILINE | re.DOTALL).group(1)
    pack = tmp_path / "sample.yaml"
    pack.write_text("pack: sample\ntitle: 样例\napplies_to: all\nrules:\n" + sample, encoding="utf-8")
    registry = load_registry([pack])
    examples = packtest.examples([registry.pack_named("sample")])
    assert len(examples) == 2
    for number, example in enumerate(examples):
        (tmp_path / str(number)).mkdir()
        outcome = packtest.run_example(example, registry, tmp_path / str(number))
        assert outcome.passed, packtest.describe(outcome)


def test_every_rule_is_in_the_reference(registry):
    text = markdown(registry)
    for rule in registry.rules:
        assert f"## {rule.id}" in text and rule.citation_text in text


# --- README samples: the output of the commands they show ------------------------------------

README = ROOT / "README.md"
CONSOLE = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


def _steps(block: str) -> list[tuple[str, str]]:
    """(command, output shown) for each `$ command` of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"a console block must start with `$ command`: {block[:80]!r}"
            steps[-1][1].append(line)
    return [(cmd, "".join(ln + "\n" for ln in out)) for cmd, out in steps]


def _run_block(block: str, where: Path) -> str:
    """The block as the commands write it today: each command runs in ``where`` (a fresh folder
    holding a copy of seeds/) through sh, with ``fzlint`` this checkout's, stdout and stderr
    together as a terminal shows them."""
    shutil.copytree(ROOT / "seeds", where / "seeds")
    bin_dir = where / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "fzlint"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m checker "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS", "CI")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT), COLUMNS="100",
               LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    out = []
    for cmd, _ in _steps(block):
        run = subprocess.run(["sh", "-c", f"{{ {cmd}\n}} 2>&1"], cwd=where, env=env, capture_output=True,
                             stdin=subprocess.DEVNULL, timeout=120)
        out.append(f"$ {cmd}\n" + run.stdout.decode("utf-8"))
    return "".join(out)


def test_readme_samples_are_real_output(tmp_path, update_golden):
    """Every ```console block of the README shows its commands' real output (run from a clone's
    root with the seeds), so no sample can drift from what fzlint prints."""
    text = README.read_text(encoding="utf-8")
    blocks = CONSOLE.findall(text)
    assert len(blocks) >= 8
    stale = []

    count = iter(range(len(blocks)))

    def regenerate(m: re.Match) -> str:
        actual = _run_block(m.group(1), tmp_path / f"sample{next(count)}")
        if actual != m.group(1):
            stale.append(actual.splitlines()[0])
        return f"```console\n{actual}```\n"

    current = CONSOLE.sub(regenerate, text)
    if update_golden:
        README.write_text(current, encoding="utf-8")
    assert not stale, f"README samples differ from the real output (regenerate with --update-golden): {stale}"
    shown = "".join(blocks)
    for fmt in ("concise", "full", "json", "github", "junit"):
        assert f"--format {fmt} " in shown, f"the README shows no {fmt} sample"


def test_the_setup_command_passes_on_the_seeds_with_their_faults():
    """README's one-command setup ends with `fzlint check` over seeds/, which holds faulty
    samples on purpose (errors, exit code 1): the command is written so that their findings do
    not fail it (.ci/run runs the same line under `set -e`), and still reports them."""
    setup = next(ln for ln in README.read_text(encoding="utf-8").splitlines() if ln.startswith("python3 -m venv"))
    assert setup in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    check = setup.rsplit(" && ", 1)[1].split()
    assert check[:2] == [".venv/bin/fzlint", "check"] and check[-1] == "seeds/"
    run = subprocess.run([sys.executable, "-m", "checker", *check[1:]], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert run.returncode == 0, run.stderr
    # the wrong_cell seeds' two errors each (.txt and .docx) are found and said all the same
    assert run.stdout.splitlines()[-1].startswith("发现 21 个问题：错误 4 个")
    assert run.stdout.splitlines()[-1].endswith(f"（检查了 {len(SEED_FILES)} 个文件）。")


def test_readme_usage_error_sample_is_real():
    """The usage error quoted in the README's exit codes is what fzlint says."""
    run = subprocess.run([sys.executable, "-m", "checker", "check", "--fail-on", "warn", "seeds"], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 2
    assert f"`{run.stderr.strip()}`" in README.read_text(encoding="utf-8")


def test_every_rule_has_its_title_in_the_reference(registry):
    text = markdown(registry)
    for rule in registry.rules:
        assert f"| [{rule.id}](#{rule.id.lower()}) | {rule.title} | {rule.name} |" in text
        assert f"**{rule.title}** · `{rule.name}`" in text


def test_readme_example_is_a_real_finding_line():
    """The finding line README opens with says its severity (the sample itself is checked
    against a real run by test_readme_samples_are_real_output)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = CONSOLE.search(readme).group(1)
    assert first.startswith("$ fzlint check") and " [警告] " in first.splitlines()[1]
