"""SARIF 2.1.0 (OASIS): one run, every rule of the registry, one result per finding.

For code-scanning uploads (GitHub ``upload-sarif``) and SARIF viewers. Written once, at
``finish``; deterministic (no timestamps, no invocation details) so it can be snapshot-tested.

- ``columnKind`` is ``unicodeCodePoints``: regions use fzlint's own line/column numbers (of the
  checked text; for .docx/.pdf/.html the extracted text), ``endColumn`` exclusive, exactly the
  numbers of ``--format json``.
- File locations are relative URIs (percent-encoded, forward slashes) against ``%SRCROOT%``,
  the current directory, given in ``originalUriBaseIds``; a file outside the current
  directory gets an absolute ``file:`` URI.
- The place in a .docx/.pdf/.html original (``第3页第5行``) is added to the message text, as in
  the other formats, and kept in the result's ``properties.place``.
- A file name that is not UTF-8 keeps its bytes in the URI, percent-encoded (``%B1%A8.txt``),
  so the location names the file itself; texts are written without surrogates
  (:mod:`checker.reporters.safe`), so the log is always valid UTF-8, and as ``\\uXXXX``
  escapes on a stream that cannot encode every character.
- ``informationUri``/``helpUri`` are left out: fzlint has no online documentation to point at
  (the rule reference is docs/rules.md and ``fzlint explain``).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from checker import __version__
from checker.diagnostics import Diagnostic, Severity
from checker.reporters.safe import json_escapes, no_surrogates, unicode_capable

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SRCROOT = "%SRCROOT%"


def _one_line(text: str) -> str:
    """Rule texts are wrapped in the YAML; Chinese lines join without a space."""
    return "".join(part.strip() for part in text.splitlines())


def rule_descriptor(rule) -> dict:
    """The rule's metadata: its Chinese title as the short description (what dashboards list
    an alert under), its rationale as the full one, its citation in the help text."""
    rationale = _one_line(rule.rationale)
    # "依据：《规定》第二十五条：“…”", or the practice it rests on ("实务要求：…")
    basis = rule.citation_text if "practice" in rule.citation else f"依据：{rule.citation_text}"
    if rule.citation.get("quote"):
        basis += f"：“{rule.citation['quote']}”"
    properties = {"citation": rule.citation_text, "check": rule.check, "pack": rule.pack,
                  "tags": [rule.pack, rule.check]}
    if rule.citation.get("quote"):
        properties["quote"] = rule.citation["quote"]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rationale},
        "help": {"text": f"{basis}\n\n{rationale}\n\n详见：fzlint explain {rule.id}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def file_uri_of_dir(path: Path) -> str:
    uri = path.as_uri()
    return uri if uri.endswith("/") else uri + "/"


@lru_cache(maxsize=1024)     # once per file, not per finding (callers copy the dict)
def _artifact_location(path: str, cwd: Path) -> tuple[tuple[str, str], ...]:
    return tuple(artifact_location(path, cwd).items())


def artifact_location(path: str, cwd: Path) -> dict:
    """``{"uri", "uriBaseId"}`` relative to ``cwd`` when the file is under it, else an
    absolute file URI. Bytes that are not UTF-8 (undecodable file names) are percent-encoded
    as they are."""
    p = Path(path)
    absolute = Path(os.path.normpath(p if p.is_absolute() else cwd / p))
    try:
        relative = absolute.relative_to(cwd)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(os.fsencode(relative.as_posix()), safe="/"), "uriBaseId": SRCROOT}


class SarifReporter:
    def __init__(self, out: TextIO, registry, cwd: Path | None = None):
        self.out = out
        self.cwd = Path(os.path.normpath(cwd or Path.cwd()))
        self.rules = [rule_descriptor(r) for r in registry.rules]
        self.index = {r["id"]: i for i, r in enumerate(self.rules)}
        self.results: list[dict] = []

    def _rule_index(self, d: Diagnostic) -> int:
        if d.code not in self.index:   # a rule of a pack only some files' configuration loads
            self.index[d.code] = len(self.rules)
            self.rules.append({"id": d.code, "name": d.name})
        return self.index[d.code]

    def result(self, d: Diagnostic) -> dict:
        s = d.span
        text = no_surrogates(d.message + (f" [{d.where}]" if d.where else ""))
        physical = {
            "artifactLocation": dict(_artifact_location(d.path, self.cwd)),
            "region": {"startLine": s.line, "startColumn": s.column,
                       "endLine": s.end_line, "endColumn": s.end_column},
        }
        item = {
            "ruleId": d.code,
            "ruleIndex": self._rule_index(d),
            "level": LEVELS[d.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": physical}],
        }
        if d.where:
            item["properties"] = {"place": d.where}
        return item

    def file(self, result) -> None:
        self.results.extend(self.result(d) for d in result.diagnostics)

    def finish(self, tally) -> None:
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "fzlint", "version": __version__,
                                    "semanticVersion": __version__, "rules": self.rules}},
                "originalUriBaseIds": {SRCROOT: {"uri": file_uri_of_dir(self.cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        }
        self.out.write(json_escapes(json.dumps(log, ensure_ascii=not unicode_capable(self.out), indent=2)) + "\n")
