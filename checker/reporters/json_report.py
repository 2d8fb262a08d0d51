"""One JSON array of findings (the contract in README), streamed file by file."""

from __future__ import annotations

import json
from typing import TextIO

from checker.diagnostics import Diagnostic


class JsonReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.first = True
        self.out.write("[")

    def file(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            self.out.write("\n  " if self.first else ",\n  ")
            self.out.write(json.dumps(d.to_dict(), ensure_ascii=False))
            self.first = False

    def finish(self, summary: str) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
