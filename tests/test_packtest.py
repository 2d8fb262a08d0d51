"""`fzlint test-pack`: a pack author runs a pack's `tests:` examples before using it
(checker/packtest.py, which tests/test_rule_examples.py runs the shipped packs with)."""

import os
import subprocess
import sys
import textwrap

from checker import packtest

from conftest import ROOT

PACK = """\
pack: extra
title: 测试
applies_to: all
rules:
  - id: FZ990
    name: sample-rule
    title: 样例规则
    severity: warning
    check: forbidden_text
    any: [样例]
    citation:
      practice: 测试
    message: 发现“{match}”
    rationale: 测试用规则。
    tests:
      - name: fires on the second line
        input: "第一行\\n样例"
        want: ["1:1 FZ990"]
      - name: stays silent
        input: 其他
        want: []
"""


def fzlint(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS")}
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=env, stdin=subprocess.DEVNULL)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_shipped_packs_pass(registry):
    """With no path, every loaded pack's examples run (here the built-in ones): all pass."""
    total = len(packtest.examples(registry.packs))
    run = fzlint("test-pack", cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == f"{total} 个例子：通过 {total}，失败 0"
    assert sum(line.startswith("  ✓ ") for line in lines) == total
    assert "规则包 fazhi（rules/fazhi.yaml）" in run.stdout and "  ✓ FZ202 " in run.stdout
    assert "  ✓ 识别 " in run.stdout          # the recognition examples too
    assert run.stderr == ""


def test_the_builtin_folder_named_is_tested_once(registry):
    """Naming the built-in folder (or one of its packs) tests it without loading it twice."""
    run = fzlint("test-pack", "rules/core.yaml", cwd=ROOT)
    core = next(p for p in registry.packs if p.name == "core")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith(f"{len(packtest.examples([core]))} 个例子：")
    assert "规则包 fazhi" not in run.stdout


def test_a_pack_with_a_wrong_example_fails_naming_rule_and_example(tmp_path):
    write(tmp_path / "extra.yaml", PACK)
    run = fzlint("test-pack", "extra.yaml", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        "规则包 extra（extra.yaml）：1 条规则，2 个例子",
        "  ✗ FZ990 fires on the second line（extra.yaml:16）",
        "      期望：1:1 FZ990",
        "      实际：2:1 FZ990 发现“样例”",
        "  ✓ FZ990 stays silent",
        "",
        "2 个例子：通过 1，失败 1",
    ]
    write(tmp_path / "extra.yaml", PACK.replace('["1:1 FZ990"]', '["2:1 FZ990"]'))
    run = fzlint("test-pack", str(tmp_path), cwd=ROOT)          # a folder of packs, named from elsewhere
    assert run.returncode == 0 and run.stdout.splitlines()[-1] == "2 个例子：通过 2，失败 0"
    assert f"规则包 extra（{tmp_path / 'extra.yaml'}）" in run.stdout


def test_a_broken_pack_is_one_line_naming_file_and_line(tmp_path):
    write(tmp_path / "extra.yaml", PACK.replace("any: [样例]", "any: [样例"))
    run = fzlint("test-pack", "extra.yaml", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("fzlint: 规则包错误：extra.yaml:11: YAML") and run.stderr.count("\n") == 1
    write(tmp_path / "extra.yaml", PACK.replace("check: forbidden_text", "check: forbid"))
    run = fzlint("test-pack", "extra.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "extra.yaml:9: " in run.stderr and "未知的检查类型" in run.stderr


def test_paths_that_hold_no_pack(tmp_path):
    (tmp_path / "empty").mkdir()
    run = fzlint("test-pack", "empty", "missing.yaml", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr == "fzlint: 文件夹 empty 中没有规则包（规则包是以 .yaml 结尾的文件）\n"
    run = fzlint("test-pack", "missing.yaml", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("fzlint: 规则包错误：missing.yaml:1: 无法读取规则包")


def test_the_configuration_rule_packs_load_once(tmp_path):
    """A pack of the configuration's rule-packs named on the command line is loaded once, and
    without a path the configured packs are tested with the built-in ones."""
    write(tmp_path / "packs" / "extra.yaml", PACK.replace('["1:1 FZ990"]', '["2:1 FZ990"]'))
    write(tmp_path / "fzlint.toml", 'rule-packs = ["packs"]\n[rules.FZ990]\nany = ["其他"]\n')
    run = fzlint("test-pack", "packs/extra.yaml", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr      # the pack as written, not the option override
    assert run.stdout.startswith("规则包 extra（packs/extra.yaml）") and "规则包 core" not in run.stdout
    run = fzlint("test-pack", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "规则包 core" in run.stdout and "规则包 extra（packs/extra.yaml）" in run.stdout


def test_a_wrong_recognition_example_shows_what_each_heading_was_taken_for(registry, tmp_path):
    pack = next(p for p in registry.packs if p.recognition and p.recognition.tests)
    good = pack.recognition.tests[0]
    line, kind = good["want"][0].split()
    other = next(k for k in pack.kind_names if k != kind)
    example = packtest.Example(pack, None, {**good, "want": [f"{line} {other}"]})
    outcome = packtest.run_example(example, registry, tmp_path)
    assert not outcome.passed
    text = "\n".join(packtest.describe(outcome))
    assert f"  ✗ 识别 {good['name']}" in text
    assert f"期望：{line} {other}" in text and f"实际：{line} {kind}（" in text
    assert packtest.run_example(packtest.Example(pack, None, good), registry, tmp_path).passed


def test_an_example_file_stays_in_its_folder(registry, tmp_path):
    """A pack's example names the file it is written to: never a path outside the folder."""
    rule = registry.rule("FZ501")
    folder = tmp_path / "work"
    folder.mkdir()
    for name in ("../escaped.txt", "sub/x.txt", "..", ""):
        case = {**rule.tests[0], "filename": name}
        outcome = packtest.run_example(packtest.Example(registry.packs[0], rule, case), registry, folder)
        assert not outcome.passed and "filename" in outcome.problem
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"] and not any(folder.iterdir())


def test_an_example_that_cannot_run_fails_alone(registry, tmp_path):
    rule = registry.rule("FZ501")
    for bad in ({"input_hex": "zz"}, {"max_file_size": "big"}, {"input": 3}):
        case = {**rule.tests[0], **bad}
        outcome = packtest.run_example(packtest.Example(registry.packs[0], rule, case), registry, tmp_path)
        assert not outcome.passed and next(iter(bad)) in outcome.problem



def test_a_crash_on_one_example_is_an_internal_error_and_the_others_run(tmp_path, monkeypatch):
    """fzlint failing on an example (a bug in a check, not in the pack) exits 3, as `check`
    does for a file it failed on; the other examples still run."""
    from checker.engine.checks import forbidden_text

    write(tmp_path / "extra.yaml", PACK.replace('["1:1 FZ990"]', '["2:1 FZ990"]'))
    registry, packs = packtest.load([tmp_path / "extra.yaml"], None, tmp_path)

    calls = []
    original = forbidden_text.check

    def broken(rule, ctx):          # fails on the first example only
        calls.append(rule.id)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return original(rule, ctx)

    monkeypatch.setattr(forbidden_text, "check", broken)
    out, errs = [], []

    def echo(text, err=False):
        (errs if err else out).append(text)

    code = packtest.run(registry, packs, echo, tmp_path)
    assert code == 3
    assert "  ✗ FZ990 fires on the second line（extra.yaml:16）" in out
    assert "      问题：内部错误：RuntimeError: a bug" in out
    assert "  ✓ FZ990 stays silent" in out
    assert out[-1] == "2 个例子：通过 1，失败 1"
    assert errs == ["fzlint: 内部错误：1 个例子未能运行完（见上；加 --verbose 查看详情）"]
