"""One JSON array of findings (the contract in README), streamed file by file."""

from __future__ import annotations

import json
from typing import TextIO


class JsonReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.first = True
        self.out.write("[")

    def file(self, result) -> None:
        for d in result.diagnostics:
            self.out.write("\n  " if self.first else ",\n  ")
            self.out.write(json.dumps(d.to_dict(), ensure_ascii=False))
            self.first = False

    def finish(self, tally) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
