"""The value classes written out instead of made by @dataclass (Span, Diagnostic, Source,
FileResult; the Records of the command line and configuration) behave as the dataclasses
did: equality and hashing by their fields, positional and keyword construction, repr,
frozen where they were, copies by replace, pickling."""

from __future__ import annotations

import pickle

import pytest

from checker.config import Config, Overrides
from checker.diagnostics import Diagnostic, Severity, Span
from checker.lint import Crash, FileResult
from checker.record import FrozenInstanceError
from checker.reporters.summary import Tally
from checker.runner import CheckRequest, View
from checker.sources import Source
from checker.sources.formats import BY_SUFFIX


def _diagnostic(**changes) -> Diagnostic:
    fields = dict(path="a.txt", span=Span(1, 2, 1, 5), code="FZ101", name="x", severity=Severity.ERROR,
                  message="缺少", where=None)
    return Diagnostic(**{**fields, **changes})


def test_span_and_diagnostic_are_values():
    assert Span(1, 2, 3, 4) == Span(line=1, column=2, end_line=3, end_column=4)
    assert Span(1, 2, 3, 4) != Span(1, 2, 3, 5) and Span(1, 2, 3, 4) != (1, 2, 3, 4)
    assert len({Span(1, 2, 3, 4), Span(1, 2, 3, 4)}) == 1
    assert repr(Span(1, 2, 3, 4)) == "Span(line=1, column=2, end_line=3, end_column=4)"
    d = _diagnostic()
    assert d == _diagnostic() and hash(d) == hash(_diagnostic())
    for field, value in [("path", "b.txt"), ("span", Span(1, 2, 1, 6)), ("code", "FZ102"), ("name", "y"),
                         ("severity", Severity.INFO), ("message", "别的"), ("where", "第1页")]:
        other = d.replace(**{field: value})
        assert other != d and getattr(other, field) == value and getattr(d, field) != value
    assert d.replace(where="第1页").replace(where=None) == d
    assert repr(d).startswith("Diagnostic(path='a.txt', span=Span(line=1")
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(TypeError):
        Diagnostic("a.txt", Span(1, 1, 1, 1), "FZ101")


def test_source_is_frozen_and_a_value():
    s = Source("a.txt", "正文", "utf-8", "txt", note="n")
    assert s == Source(path="a.txt", text="正文", encoding="utf-8", format="txt", note="n")
    assert s != Source("a.txt", "正文", "gb18030", "txt", note="n")
    assert hash(s) == hash(Source("a.txt", "正文", "utf-8", "txt", note="n"))
    assert (s.places, s.suppressions, s.tables) == (None, None, None)
    with pytest.raises(FrozenInstanceError):
        s.text = "改"
    with pytest.raises(FrozenInstanceError):
        del s.note
    assert pickle.loads(pickle.dumps(s)) == s
    assert repr(s) == ("Source(path='a.txt', text='正文', encoding='utf-8', format='txt', places=None, note='n', "
                       "suppressions=None, tables=None)")


def test_file_result_is_equal_by_fields_and_unhashable():
    r = FileResult("a.txt")
    assert r.diagnostics == [] and r.notices == [] and r.diagnostics is not FileResult("b.txt").diagnostics
    assert r == FileResult("a.txt") and r != FileResult("a.txt", [_diagnostic()])
    with pytest.raises(TypeError):
        hash(r)
    r.cache_note = (None, 0, True)        # mutable, as it was
    assert r != FileResult("a.txt")
    full = FileResult("a.txt", [_diagnostic()], None, None, 1, ["a.txt:1: 注意"], frozenset({"FZ101"}), True, "fazhi")
    assert pickle.loads(pickle.dumps(full)) == full


def test_records_of_the_command_line_and_configuration():
    assert Config() == Config() and Config().select is not Config().select
    assert Config(select=["FZ1"]) != Config()
    o = Overrides(select=["FZ1"])
    assert (o.select, o.ignore, o.max_bytes) == (["FZ1"], [], None)
    req = CheckRequest(("a.txt",), fmt="json")
    assert req.view == View() and req.view is not CheckRequest(("b",)).view and req.jobs == 0
    with pytest.raises(TypeError):
        CheckRequest()                      # paths is required
    t = Tally()
    t.add([_diagnostic(), _diagnostic(severity=Severity.INFO)])
    assert (t.files, t.worst(), t.statistics()) == (1, Severity.ERROR, [(2, "FZ101", "x")])
    assert Tally().by_severity is not Tally().by_severity
    fmt = BY_SUFFIX[".txt"]
    assert fmt == fmt.replace() and hash(fmt) == hash(fmt.replace())
    with pytest.raises(FrozenInstanceError):
        fmt.name = "x"
    crash = Crash("a.txt", "TypeError: x", "trace")
    assert pickle.loads(pickle.dumps(crash)) == crash


def test_the_command_raises_the_collectors_threshold_only_until_a_file_is_checked(tmp_path, monkeypatch):
    """checker/startup.py: the entry point raises the threshold for the start, the first
    checked file sets it back (a worker process sets it back when it starts)."""
    import gc

    from checker import startup
    from checker.__main__ import entry

    report = tmp_path / "r.txt"
    report.write_text("平安县2023年法治政府建设年度报告\n一、主要举措\n正文。\n", encoding="utf-8")
    seen = []
    real_end = startup.end

    def end():
        seen.append(gc.get_threshold())
        real_end()
    monkeypatch.setattr(startup, "end", end)
    before = gc.get_threshold()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        entry(["check", "--no-cache", "r.txt"], fast_exit=False)
    assert seen and seen[0] == startup.START_THRESHOLD
    assert gc.get_threshold() == before


def test_the_command_exits_at_once_with_its_code_and_output(tmp_path):
    """checker/startup.py finish: the process leaves without tearing the interpreter down,
    with the command's exit code and everything it printed (also through a pipe, where
    stdout is block-buffered), and runs the exit handlers."""
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("平安县2023年法治政府建设年度报告\n一、主要举措\n正文。\n", encoding="utf-8")
    marker = tmp_path / "atexit-ran"
    code = ("import atexit, pathlib, sys\n"
            f"atexit.register(pathlib.Path({str(marker)!r}).touch)\n"
            "from checker.__main__ import entry\nentry(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", code, "check", "--no-cache", "--format", "concise", "r.txt"],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    plain = subprocess.run([sys.executable, "-c", "from checker.cli import main; main()", "check", "--no-cache",
                            "--format", "concise", "r.txt"], cwd=tmp_path, capture_output=True, text=True,
                           encoding="utf-8")
    assert done.returncode == plain.returncode == 1
    assert done.stdout == plain.stdout and "FZ1" in done.stdout and done.stdout.endswith("\n")
    assert done.stderr == plain.stderr
    assert marker.exists()


def test_the_digest_is_sha256_without_openssl():
    """checker/digest.py: CPython's own SHA-256 (hashlib would load OpenSSL at every start),
    the same digests as hashlib's."""
    import hashlib
    import subprocess
    import sys

    from checker.digest import sha256

    for data in (b"", b"fzlint", "法治政府建设年度报告".encode() * 1000):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    probe = "import sys, checker.digest; print('_hashlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_checking_a_report_never_imports_dataclasses():
    """The start path writes its classes out (checker/record.py) and raises its own
    FrozenInstanceError: importing dataclasses costs ~1 ms of every start."""
    import subprocess
    import sys

    from conftest import SEEDS

    probe = ("import sys; from checker.cli import main\n"
             "try: main(['check', '--no-cache', '--format', 'concise', sys.argv[1]])\n"
             "except SystemExit: pass\n"
             "print('dataclasses' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe, str(SEEDS[0])], capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == "False"
