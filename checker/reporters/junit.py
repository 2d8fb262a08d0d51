"""JUnit XML for CI test reports (GitLab ``artifacts:reports:junit``, Jenkins ``junit``).

One ``<testsuite name="fzlint">`` with one ``<testcase>`` per checked file, clean files too,
so the report counts files checked and files passed. A file with findings has ONE
``<failure>``: its ``message`` counts the findings by severity, ``type`` is the worst severity,
and its text lists every finding, one ``line:col CODE [严重程度] message`` line each (the place in a
.docx/.pdf/.html original in brackets after it)::

    <testcase classname="fzlint" name="seeds/003.txt" file="seeds/003.txt">
      <failure message="4 个问题：警告 3 个，提示 1 个" type="warning">5:25 FZ501 [警告] 法规名称…
    13:1 FZ107 [警告] …</failure>
    </testcase>

One failure per file, not one per finding: the JUnit schema (Ant's XSD) allows one failure
per testcase, Jenkins and GitLab show only the first of several, and both show the failure
text in full, so a file's findings read as one list. ``failures`` therefore counts files with
findings. Every finding fails its file whatever its severity (``--fail-on`` decides the exit
code, not the report).

Deterministic: no timestamps, durations or host names. File names and messages are shown as
in every human format (:mod:`checker.reporters.safe`: control characters as backslash
escapes, a name that is not UTF-8 decoded or with ``\\xNN`` bytes), so the XML holds no
character XML 1.0 cannot carry; any other such character would be replaced by U+FFFD. On a
stream that cannot encode every character (an ASCII stdout) non-ASCII characters are written
as character references (``&#25253;``), so the file still parses as the UTF-8 it declares.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from checker.diagnostics import Diagnostic, Severity
from checker.reporters.safe import escape, human_path, unicode_capable

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def finding_line(d: Diagnostic) -> str:
    where = f" [{escape(d.where)}]" if d.where else ""
    return f"{d.span.line}:{d.span.column} {d.code} {d.severity.tag} {escape(d.message)}{where}"


def failure_message(diagnostics: list[Diagnostic]) -> str:
    counts = [(s, sum(1 for d in diagnostics if d.severity is s)) for s in sorted(Severity, reverse=True)]
    parts = "，".join(f"{SEVERITY_ZH[s]} {n} 个" for s, n in counts if n)
    return f"{len(diagnostics)} 个问题：{parts}"


class JunitReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.suite = ET.Element("testsuite", name="fzlint")
        self.tests = self.failures = 0

    def file(self, result) -> None:
        path = xml_text(human_path(result.path))
        case = ET.SubElement(self.suite, "testcase", classname="fzlint", name=path, file=path)
        self.tests += 1
        if result.diagnostics:
            self.failures += 1
            failure = ET.SubElement(case, "failure", message=failure_message(result.diagnostics),
                                    type=max(d.severity for d in result.diagnostics).label)
            failure.text = xml_text("\n".join(finding_line(d) for d in result.diagnostics))

    def finish(self, tally) -> None:
        counts = {"tests": str(self.tests), "failures": str(self.failures), "errors": "0", "skipped": "0"}
        self.suite.attrib.update(counts)
        root = ET.Element("testsuites", name="fzlint", **counts)
        root.append(self.suite)
        ET.indent(root, space="  ")
        xml = ET.tostring(root, encoding="unicode")
        if not unicode_capable(self.out):
            xml = xml.encode("ascii", "xmlcharrefreplace").decode("ascii")
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(xml + "\n")
