"""A report kind is data: a scratch pack of another kind, loaded through the configuration's
`rule-packs`, is detected, explained, listed and outlined by every command, with no Python
change (issue 17)."""

import json
import shutil

from test_cli import fzlint

PACK = """\
pack: anquan
title: 安全生产工作年度报告
detect: [安全生产工作]
code_prefix: AQ
deadline: "01-31"
legend: 安全生产年度报告的必备内容
signals: [安全生产, 隐患]
section_kinds:
  - kind: done
    label: 安全生产工作开展情况
    any: [工作开展情况, 主要工作]
  - kind: risks
    label: 存在的安全隐患
    any: [安全隐患, 风险隐患]
section_order: [done, risks]
phrases: {before: "应置于“{heading}”之前", after: "应置于“{heading}”部分之后", none: 报告未分部分撰写}
matrix:
  - label: 工作情况
    rules: [AQ101]
  - label: 隐患
    rules: [AQ102]
rules:
  - id: AQ101
    name: missing-work-section
    title: 缺少工作开展情况
    severity: error
    check: required_section
    kind: done
    citation: {practice: 安全生产年度报告应写明工作开展情况}
    message: 缺少“{label}”部分，{placement}
    rationale: 测试用的第二种报告。
    tests:
      - {name: fires, input: "一、存在的安全隐患\\n隐患3处。\\n", want: ["1:1 AQ101"]}
      - {name: silent, input: "一、主要工作\\n检查12次。\\n", want: []}
  - id: AQ102
    name: missing-risks-section
    title: 缺少安全隐患
    severity: warning
    check: required_section
    kind: risks
    citation: {practice: 安全生产年度报告应写明存在的隐患}
    message: 缺少“{label}”部分，{placement}
    rationale: 测试用的第二种报告。
    tests:
      - {name: fires, input: "一、主要工作\\n检查12次。\\n", want: ["2:1 AQ102"]}
      - {name: silent, input: "一、主要工作\\n检查12次。\\n二、存在的安全隐患\\n隐患3处。\\n", want: []}
"""

REPORT = "平安县应急管理局2023年度安全生产工作年度报告\n一、主要工作\n全年开展安全生产检查12次。\n"


def project(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "anquan.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "安全.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def test_a_configured_kind_is_checked_explained_listed_and_outlined(tmp_path):
    root = project(tmp_path)
    checked = fzlint("check", "--format", "json", "reports", cwd=root)
    # its own rule and the core's (no signature), none of the 法治 kind's
    assert [(d["code"], d["line"]) for d in json.loads(checked.stdout)] == [("AQ102", 3), ("FZ308", 3)]
    explained = fzlint("explain", "AQ102", cwd=root)
    assert explained.returncode == 0 and explained.stdout.startswith("AQ102 缺少安全隐患\n")
    by_name = fzlint("explain", "missing-risks-section", cwd=root)
    assert by_name.stdout == explained.stdout
    listed = json.loads(fzlint("rules", "--format", "json", cwd=root).stdout)
    assert {r["code"]: r["pack"] for r in listed}["AQ101"] == "anquan"
    outlined = json.loads(fzlint("outline", "--format", "json", "reports/安全.txt", cwd=root).stdout)
    assert [(s["heading"], s["kind"]) for s in outlined["sections"]] == [("主要工作", "done")]
    assert outlined["report_kind"] == {"pack": "anquan", "title": "安全生产工作年度报告"}


def test_without_the_configuration_the_kind_is_unknown(tmp_path):
    """The same commands without the configuration do not know the pack: it is the
    configuration, not the command, that decides which packs are loaded."""
    root = project(tmp_path)
    (root / "fzlint.toml").unlink()
    assert fzlint("explain", "AQ102", cwd=root).returncode == 2
    outlined = json.loads(fzlint("outline", "--format", "json", "reports/安全.txt", cwd=root).stdout)
    assert outlined["sections"][0]["kind"] == "measures"     # read as the default kind


def test_a_kind_s_codes_use_its_prefix(tmp_path):
    root = project(tmp_path)
    pack = root / "packs" / "anquan.yaml"
    pack.write_text(PACK.replace("id: AQ102", "id: FZ992"), encoding="utf-8")
    run = fzlint("check", "reports", cwd=root)
    assert run.returncode == 2 and "代码前缀 AQ" in run.stderr


def test_an_explicit_config_is_used_from_anywhere(tmp_path):
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(root / "reports" / "安全.txt", elsewhere / "r.txt")
    run = fzlint("explain", "AQ101", "--config", str(root / "fzlint.toml"), cwd=elsewhere)
    assert run.returncode == 0 and "安全生产年度报告应写明工作开展情况" in run.stdout
