"""The JSON reporter writes each finding without calling the JSON encoder per finding
(checker/reporters/json_report.py): its lines must be exactly what the encoder would write."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.diagnostics import Diagnostic, Severity, Span
from checker.reporters.json_report import JsonReporter
from checker.reporters.safe import display_path, json_escapes, no_surrogates

_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_ascii = json.JSONEncoder(ensure_ascii=True).encode


def finding(d) -> dict:
    """The contract: ``d.to_dict()`` with a name and a message that can be written as UTF-8."""
    item = d.to_dict()
    item["path"] = display_path(d.path)
    item["message"] = no_surrogates(d.message)
    return item


class _Result:
    def __init__(self, diagnostics):
        self.diagnostics = diagnostics


# any character (controls, lone surrogates, astral ...) and the ones the output escapes
chars = st.text(alphabet=st.characters(exclude_categories=()), max_size=30)
raw = st.sampled_from(["\u202e", "\u2028", "\x85", "\x7f", "\ud800", "\x00"])
texts = st.lists(chars | raw, max_size=3).map("".join)
numbers = st.integers(min_value=0, max_value=10**12)
diagnostics = st.builds(
    Diagnostic, path=st.sampled_from(["a.txt", "报告/b.md"]) | texts,
    span=st.builds(Span, numbers, numbers, numbers, numbers),
    code=st.from_regex(r"[A-Z]{2,3}[0-9]{3}", fullmatch=True), name=texts, severity=st.sampled_from(list(Severity)),
    message=texts, where=st.none() | texts)


def _expected(batches, ascii_only: bool) -> str:
    """The output as the encoder writes it, finding by finding."""
    encode = _encode_ascii if ascii_only else _encode
    lines = [json_escapes(encode(finding(d))) for batch in batches for d in batch]
    return "[" + ("\n  " + ",\n  ".join(lines) + "\n]\n" if lines else "]\n")


class _AsciiStream(io.StringIO):
    encoding = "ascii"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(diagnostics, max_size=4), max_size=4), st.booleans())
def test_lines_are_what_the_encoder_writes(batches, ascii_only):
    out = _AsciiStream() if ascii_only else io.StringIO()
    reporter = JsonReporter(out)
    for batch in batches:
        reporter.file(_Result(batch))
    reporter.finish(None)
    assert out.getvalue() == _expected(batches, ascii_only)
    json.loads(out.getvalue())      # and it is JSON


def test_one_file_with_two_paths_and_repeated_codes():
    span = Span(3, 1, 3, 9)
    found = [Diagnostic("甲.txt", span, "FZ101", "missing-x", Severity.ERROR, "缺少\u202e“x”"),
             Diagnostic("甲.txt", span, "FZ101", "missing-x", Severity.ERROR, "又\x7f缺少"),
             Diagnostic("乙.txt", span, "FZ505", "dup", Severity.INFO, "重复\ud800")]
    out = io.StringIO()
    reporter = JsonReporter(out)
    reporter.file(_Result(found))
    reporter.finish(None)
    assert out.getvalue() == _expected([found], False)
    assert [d["path"] for d in json.loads(out.getvalue())] == ["甲.txt", "甲.txt", "乙.txt"]
