"""Diagnostics: what fzlint found, where, and how bad it is.

Positions are 1-based lines and columns counted in Unicode code points of the text fzlint
checked: the file itself for .txt/.md, the extracted text for .docx/.pdf/.html (see
``fzlint extract``), where ``where`` names the place in the original document.
``end_column`` is exclusive (the column just past the span), as in SARIF.
"""

from __future__ import annotations

from enum import IntEnum

from checker.record import HashableValue


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def zh(self) -> str:
        """The severity as people read it in every human format: 错误, 警告, 提示."""
        return _ZH[self]

    @property
    def tag(self) -> str:
        """``[错误]``: the severity on a finding line, after the code (``path:1:1: FZ102 [错误] 缺少…``)."""
        return f"[{_ZH[self]}]"


_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


# Span and Diagnostic are values: never changed once made (Diagnostic.replace makes a new
# one), equal and hashable by their fields. Written out rather than made by @dataclass: a
# frozen dataclass's __init__ sets each field through object.__setattr__ (3x the cost of
# making one: a run makes and unpickles tens of thousands), and @dataclass itself costs
# ~0.7 ms of every start per class.
class Span(HashableValue):
    __slots__ = _compared = _shown = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int):
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column



class Diagnostic(HashableValue):
    __slots__ = _compared = _shown = ("path", "span", "code", "name", "severity", "message", "where")

    def __init__(self, path: str, span: Span, code: str, name: str, severity: Severity, message: str,
                 where: str | None = None):
        self.path = path
        self.span = span
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.where = where     # the place in a .docx/.pdf/.html original ("第3页第5行")

    def replace(self, **changes) -> Diagnostic:
        """A copy with ``changes`` (as dataclasses.replace)."""
        return Diagnostic(**{**{f: getattr(self, f) for f in self.__slots__}, **changes})

    def sort_key(self):
        return (self.path, self.span.line, self.span.column, self.code)

    def __reduce__(self):
        """Pickled flat (worker processes send thousands back): no nested Span, no enum."""
        s = self.span
        return (_diagnostic, (self.path, s.line, s.column, s.end_line, s.end_column, self.code, self.name,
                              int(self.severity), self.message, self.where))

    def to_dict(self) -> dict:
        """The JSON contract: exactly these keys, in this order."""
        return {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
        }


_SEVERITIES = {int(s): s for s in Severity}


def _diagnostic(path, line, column, end_line, end_column, code, name, severity, message, where):
    return Diagnostic(path, Span(line, column, end_line, end_column), code, name, _SEVERITIES[severity],
                      message, where)
