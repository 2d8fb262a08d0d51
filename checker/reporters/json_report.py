"""One JSON array of findings (the contract in README), streamed file by file."""

from __future__ import annotations

import json
from typing import TextIO

# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one is enough
_encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.first = True
        self.out.write("[")

    def file(self, result) -> None:
        if not result.diagnostics:
            return
        sep = "\n  " if self.first else ",\n  "
        self.out.write(sep + ",\n  ".join(_encode(d.to_dict()) for d in result.diagnostics))
        self.first = False

    def finish(self, tally) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
