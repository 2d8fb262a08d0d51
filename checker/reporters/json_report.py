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
        self.out.write(json_escapes(sep + ",\n  ".join(self.encode(finding(d)) for d in result.diagnostics)))
        self.first = False

    def finish(self, tally) -> None:
        self.out.write("]\n" if self.first else "\n]\n")
