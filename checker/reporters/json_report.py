"""One JSON array of findings (the contract in README), streamed file by file.

``path`` is the name as every format shows it (:func:`checker.reporters.safe.display_path`:
a name that is not UTF-8 decoded, or with ``\\xNN`` for its bytes), so the output is always
valid UTF-8 JSON. On a stream that cannot encode every character (an ASCII stdout) non-ASCII
characters are written as ``\\uXXXX`` escapes, which JSON parsers read back as they were.
"""

from __future__ import annotations

import json
from typing import TextIO

from checker.reporters.safe import display_path, no_surrogates, unicode_capable

# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one is enough
_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_ascii = json.JSONEncoder(ensure_ascii=True).encode


def finding(d) -> dict:
    """``d.to_dict()`` with a name and a message that can be written as UTF-8."""
    item = d.to_dict()
    item["path"] = display_path(d.path)
    item["message"] = no_surrogates(d.message)
    return item


class JsonReporter:
    def __init__(self, out: TextIO):
        self.out = out
        self.first = True
        self.encode = _encode if unicode_capable(out) else _encode_ascii
        self.out.write("[")

    def file(self, result) -> None:
        if not result.diagnostics:
            return
        sep = "\n  " if self.first else ",\n  "
        self.out.write(sep + ",\n  ".join(self.encode(finding(d)) for d in result.diagnostics))
        self.first = False

    def finish(self, tally) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
