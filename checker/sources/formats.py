"""The formats fzlint reads: the one list every other place derives from.

Each format names its suffixes, the reader (module in ``checker.sources`` and function,
imported on first use) and the estimated cost of reading and checking one file (a fixed part
in ms plus ms per KiB, measured on the seeds and the benchmark corpus), which
``checker.parallel`` uses to decide whether worker processes pay. The suffixes shown to
users (``READABLE``), the pre-commit hook's ``files`` pattern and README's list are checked
against this table by tests/test_formats.py.
"""

from __future__ import annotations

from checker.record import Record


class Format(Record, frozen=True):
    name: str                   # as `fzlint --verbose` names it
    suffixes: tuple[str, ...]   # lower case, with the dot; the first is the one shown to users
    module: str                 # checker.sources.<module>
    reader: str                 # its function: (bytes, display name) -> Source
    fixed_ms: float             # estimated cost per file ...
    per_kib_ms: float           # ... plus per KiB


FORMATS = (
    Format("txt", (".txt",), "text", "read_text", 0.3, 0.07),
    Format("md", (".md", ".markdown"), "text", "read_markdown", 0.3, 0.07),
    Format("docx", (".docx",), "docx", "read_docx", 8.0, 0.05),
    Format("pdf", (".pdf",), "pdf", "read_pdf", 15.0, 0.3),
    Format("html", (".html", ".htm"), "html", "read_html", 2.0, 0.15),
)

BY_SUFFIX: dict[str, Format] = {s: f for f in FORMATS for s in f.suffixes}

# what a message tells users fzlint reads
READABLE = "、".join(f.suffixes[0] for f in FORMATS)
