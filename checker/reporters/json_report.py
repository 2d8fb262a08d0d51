"""One JSON array of findings (the contract in README), streamed file by file.

``path`` is the name as every format shows it (:func:`checker.reporters.safe.display_path`:
a name that is not UTF-8 decoded, or with ``\\xNN`` for its bytes), so the output is always
valid UTF-8 JSON. Control and bidi characters are written as ``\\uXXXX`` escapes (JSON's own
for C0, :func:`~checker.reporters.safe.json_escapes` for the rest), so a name or a quoted text
is the same string once parsed but cannot act on a terminal that shows the file. On a stream
that cannot encode every character (an ASCII stdout) all non-ASCII characters are escaped.
"""

from __future__ import annotations

import json
from typing import TextIO

from checker.reporters.safe import display_path, json_escapes, no_surrogates, unicode_capable

# What json.JSONEncoder(ensure_ascii=...) does to one string (the C functions it calls): a
# finding's line is written from them directly (see JsonReporter._lines)
_string = {False: json.encoder.encode_basestring, True: json.encoder.encode_basestring_ascii}


class JsonReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.first = True
        self.ascii = not unicode_capable(out)
        self._rules: dict[tuple, str] = {}      # (code, name, severity) -> their three members, written
        self.out.write("[")

    def file(self, result) -> None:
        if not result.diagnostics:
            return
        sep = "\n  " if self.first else ",\n  "
        self.out.write(sep + ",\n  ".join(self._lines(result.diagnostics)))
        self.first = False

    def _string(self, text: str) -> str:
        """``text`` as the encoder writes it, with :func:`json_escapes` applied. The characters
        json_escapes rewrites occur only inside strings, and none is printable: a string is
        scanned by the regex only when str.isprintable() says it holds one."""
        encoded = _string[self.ascii](text)
        return encoded if text.isprintable() else json_escapes(encoded)

    def _lines(self, diagnostics):
        """Each finding as JSONEncoder writes ``d.to_dict()`` (with the path and message made
        writable as UTF-8: display_path, no_surrogates), made from the encoder's own
        string function and ``int.__repr__`` in one f-string: a report of thousands of findings
        spends a fifth of the time (a file's path, and each rule's code, name and severity, are
        encoded once; tests/test_json_report.py compares it with the encoder on every kind of
        value)."""
        string, rules = self._string, self._rules
        first = diagnostics[0].path
        path = string(display_path(first))
        for d in diagnostics:
            s = d.span
            p = path if d.path == first else string(display_path(d.path))
            rule = rules.get((d.code, d.name, d.severity))
            if rule is None:
                rule = rules[d.code, d.name, d.severity] = (
                    f'"code": {string(d.code)}, "name": {string(d.name)}, "severity": {string(d.severity.label)}')
            yield (f'{{"path": {p}, "line": {s.line!r}, "column": {s.column!r}, "end_line": {s.end_line!r}, '
                   f'"end_column": {s.end_column!r}, {rule}, "message": {string(no_surrogates(d.message))}}}')

    def finish(self, tally) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
