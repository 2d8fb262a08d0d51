"""Configuration files: options, severities, selection, and every mistake named by key."""

import textwrap

import pytest

from conftest import SEEDS
from test_cli import fzlint

MARCH_REPORT = """\
平安县卫生健康局2023年度法治政府建设情况报告
一、2023年度主要举措和成效
全年办理行政许可120件。
平安县卫生健康局
2024年3月15日
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "report.txt").write_text(MARCH_REPORT, encoding="utf-8")
    return tmp_path


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def codes(run):
    return {line.split(": ")[1].split()[0] for line in run.stdout.splitlines()[:-1]}


def test_rule_option_from_fzlint_toml(project):
    assert "FZ306" not in codes(fzlint("check", "report.txt", cwd=project))
    write(project / "fzlint.toml", """\
        [rules.FZ306]
        deadline = "03-01"
    """)
    run = fzlint("check", "report.txt", cwd=project)
    assert "report.txt:5:1: FZ306 [警告] 成文日期2024年3月15日晚于2024年3月1日，" \
        "年度报告应在2024年3月1日之前公开" in run.stdout


def test_pyproject_found_by_walking_up(project):
    write(project / "pyproject.toml", """\
        [project]
        name = "reports"

        [tool.fzlint]
        select = ["FZ2"]
        ignore = ["FZ201"]

        [tool.fzlint.severity]
        FZ202 = "error"
    """)
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    (project / "report.txt").rename(sub / "report.txt")
    run = fzlint("check", "report.txt", cwd=sub)
    assert codes(run) == {"FZ202"}
    assert run.returncode == 1                      # FZ202 is a warning unless configured
    assert " FZ202 [错误] " in run.stdout             # and the line says the severity it has here


def test_severity_override_with_explicit_config(tmp_path):
    seed = SEEDS[0]
    assert fzlint("check", str(seed)).returncode == 0          # FZ106 is info by default
    cfg = tmp_path / "strict.toml"
    cfg.write_text('[severity]\nFZ106 = "error"\n', encoding="utf-8")
    assert fzlint("check", "--config", str(cfg), str(seed)).returncode == 1


def test_command_line_overrides_the_file(project):
    write(project / "fzlint.toml", 'select = ["FZ3"]\n')
    assert codes(fzlint("check", "report.txt", cwd=project)) <= {"FZ301", "FZ302", "FZ303", "FZ304", "FZ305",
                                                                  "FZ306", "FZ307", "FZ308", "FZ309", "FZ310"}
    assert codes(fzlint("check", "--select", "FZ2", "report.txt", cwd=project)) == {"FZ201", "FZ202"}


def test_extra_rule_pack_folder(project):
    (project / "packs").mkdir()
    write(project / "packs" / "local.yaml", """\
        pack: local
        title: 本地规则
        applies_to: all
        rules:
          - id: FZ599
            name: local-banned-word
            title: 本地禁用词
            severity: error
            check: forbidden_text
            any: [行政许可]
            citation: {practice: 本地要求}
            message: 不要写“{match}”
            rationale: 测试。
            tests:
              - {name: fires, input: 行政许可, want: ["1:1 FZ599"]}
              - {name: silent, input: 其他, want: []}
    """)
    write(project / "fzlint.toml", 'rule-packs = ["packs"]\n')
    run = fzlint("check", "--select", "FZ599", "report.txt", cwd=project)
    assert run.returncode == 1 and "report.txt:3:5: FZ599 [错误] 不要写“行政许可”" in run.stdout


@pytest.mark.parametrize("name,text,key,words", [
    ("fzlint.toml", "colour = true\n", "colour", ["未知的配置项"]),
    ("fzlint.toml", 'select = "FZ1"\n', "select", ["字符串列表"]),
    ("fzlint.toml", '[severity]\nFZ106 = "fatal"\n', "severity.FZ106", ["fatal", "error"]),
    ("fzlint.toml", '[severity]\nFZ777 = "error"\n', "severity.FZ777", ["没有这条规则"]),
    ("fzlint.toml", '[rules.FZ306]\ndeadlines = "03-01"\n', "rules.FZ306.deadlines", ["没有这个选项", "deadline"]),
    ("fzlint.toml", '[rules.FZ306]\ndeadline = "3月1日"\n', "rules.FZ306", ["MM-DD"]),
    ("fzlint.toml", '[rules.FZ203]\nmin_sentences = "two"\n', "rules.FZ203", ["min_sentences", "整数"]),
    ("fzlint.toml", 'select = ["FZ7"]\n', "select", ["FZ7"]),
    ("fzlint.toml", 'extend-select = ["FZ999"]\n', "extend-select", ["FZ999"]),
    ("fzlint.toml", 'ignore = ["nonsense-rule"]\n', "ignore", ["nonsense-rule"]),
    ("fzlint.toml", 'extend-select = "FZ1"\n', "extend-select", ["字符串列表"]),
    ("fzlint.toml", '[per-file-ignores]\n"drafts/*" = ["FZ0"]\n', 'per-file-ignores."drafts/*"', ["FZ0"]),
    ("fzlint.toml", '[per-file-ignores]\n"drafts/*" = "FZ1"\n', 'per-file-ignores."drafts/*"', ["字符串列表"]),
    ("fzlint.toml", 'per-file-ignores = ["a"]\n', "per-file-ignores", ["应为表"]),
    ("pyproject.toml", '[tool.fzlint.per-file-ignores]\n"*.md" = ["FZ77"]\n',
     'tool.fzlint.per-file-ignores."*.md"', ["FZ77"]),
    ("fzlint.toml", 'rule-packs = ["nowhere"]\n', "rule-packs", ["不存在"]),
    ("fzlint.toml", "select = [\n", "", ["TOML"]),
    ("pyproject.toml", "[tool.fzlint]\nextend = 1\n", "tool.fzlint.extend", ["未知的配置项"]),
])
def test_config_errors_name_file_and_key(project, name, text, key, words):
    (project / name).write_text(text, encoding="utf-8")
    run = fzlint("check", "report.txt", cwd=project)
    assert run.returncode == 2, run.stdout
    assert run.stdout == ""
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"fzlint: 配置错误：{project / name}: {key + ': ' if key else ''}"), line
    for w in words:
        assert w in line


def test_each_file_gets_the_configuration_above_it(tmp_path):
    """Walking up starts at the checked file, not at the current directory."""
    for name, cfg in (("strict", '[severity]\nFZ202 = "error"\n'), ("lenient", 'ignore = ["FZ2"]\n'),
                      ("plain", None)):
        d = tmp_path / "offices" / name / "2024"
        d.mkdir(parents=True)
        (d / "report.txt").write_text(MARCH_REPORT, encoding="utf-8")
        if cfg:
            (tmp_path / "offices" / name / "fzlint.toml").write_text(cfg, encoding="utf-8")
    run = fzlint("check", "offices", cwd=tmp_path)
    by_file = {}
    for line in run.stdout.splitlines()[:-1]:
        path, rest = line.split(":", 1)
        by_file.setdefault(path.split("/")[1], set()).add(rest.split()[1])
    assert "FZ202" in by_file["strict"] and "FZ202" in by_file["plain"]
    assert not {c for c in by_file["lenient"] if c.startswith("FZ2")}
    assert run.returncode == 1          # strict/ made FZ202 an error
    # the same files checked from inside one office use that office's configuration only
    inside = fzlint("check", "report.txt", cwd=tmp_path / "offices" / "lenient" / "2024")
    assert "FZ202" not in codes(inside) and "FZ104" in codes(inside)


def test_no_configuration_above_the_file_falls_back_to_the_current_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.txt").write_text(MARCH_REPORT, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    write(project / "fzlint.toml", 'select = ["FZ202"]\n')
    run = fzlint("check", str(elsewhere / "report.txt"), cwd=project)
    assert codes(run) == {"FZ202"}


def test_extend_select_and_command_line(project):
    write(project / "fzlint.toml", 'select = ["FZ202"]\nextend-select = ["FZ201"]\n')
    assert codes(fzlint("check", "report.txt", cwd=project)) <= {"FZ201", "FZ202"}
    run = fzlint("check", "--select", "FZ3", "--extend-select", "FZ202", "report.txt", cwd=project)
    found = codes(run)
    assert "FZ202" in found and "FZ201" in found            # config extend-select still applies
    assert all(c.startswith("FZ3") or c in ("FZ201", "FZ202") for c in found)


def test_per_file_ignores(project):
    drafts = project / "drafts"
    drafts.mkdir()
    (drafts / "草稿.txt").write_text(MARCH_REPORT, encoding="utf-8")
    write(project / "fzlint.toml", """\
        [per-file-ignores]
        "drafts/*" = ["FZ1", "FZ2"]
        "report.txt" = ["court-judgements-not-reported"]
    """)
    (drafts / "年终.md").write_text(MARCH_REPORT.replace("2024年3月15日", "2024年13月15日"), encoding="utf-8")
    run = fzlint("check", ".", cwd=project)
    lines = run.stdout.splitlines()[:-1]
    draft = {ln.split()[1] for ln in lines if ln.startswith("drafts/")}
    top = {ln.split()[1] for ln in lines if ln.startswith("report.txt")}
    assert draft == {"FZ309"}          # the impossible date; FZ1xx/FZ2xx are ignored there
    assert "FZ202" not in top and "FZ104" in top


def test_fail_on_and_exit_zero(project):
    warn_only = fzlint("check", "--select", "FZ202", "report.txt", cwd=project)
    assert warn_only.returncode == 0 and "FZ202" in warn_only.stdout
    assert fzlint("check", "--select", "FZ202", "--fail-on", "warning", "report.txt", cwd=project).returncode == 1
    assert fzlint("check", "--select", "FZ202", "--fail-on", "info", "report.txt", cwd=project).returncode == 1
    errors = fzlint("check", "report.txt", cwd=project)
    assert errors.returncode == 1
    assert fzlint("check", "--exit-zero", "report.txt", cwd=project).returncode == 0
    bad = fzlint("check", "--exit-zero", "--select", "FZ000", "report.txt", cwd=project)
    assert bad.returncode == 2                        # usage errors still fail


def test_statistics(project, registry):
    (project / "second.txt").write_text(MARCH_REPORT, encoding="utf-8")
    run = fzlint("check", "--statistics", ".", cwd=project)
    rows = [ln.split("\t") for ln in run.stdout.splitlines()[:-1]]
    full = fzlint("check", ".", cwd=project).stdout.splitlines()[:-1]
    counted = {}
    for ln in full:
        code = ln.split()[1]
        counted[code] = counted.get(code, 0) + 1
    assert {code: int(n) for n, code, _, _ in rows} == counted
    assert [int(n) for n, _, _, _ in rows] == sorted((int(n) for n, _, _, _ in rows), reverse=True)
    # each rule's Chinese title and its name (what --select takes)
    assert all((title, name) == (registry.rule(code).title, registry.rule(code).name) for _, code, title, name in rows)
    assert run.stdout.splitlines()[-1] == fzlint("check", ".", cwd=project).stdout.splitlines()[-1]
