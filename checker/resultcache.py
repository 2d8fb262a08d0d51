"""The result cache: what checking a file found, kept so that a file that did not change is
not read through and checked again (as ruff's cache).

**Key.** A result is stored under the sha256 of: the file's content, its suffix (which picks
the reader), the rules enabled for it (selection, per-file ignores), the settings that decide
findings (``config.Settings.fingerprint``: the loaded packs' content, configured severities
and rule options, the size limit) and fzlint itself (:func:`code_fingerprint`: its version,
the content of every file of the package and of the grammar, Python's version, the versions
of the libraries that parse and read). Any change to one of them is another key: a stale
result is never found, it is only left for pruning.

**Entries.** ``results/<key in hex>.json`` (one folder: a subfolder per key prefix would cost
a ``mkdir`` per new prefix, and file creation is most of what writing the cache costs), holding
``[FORMAT, key, result]`` in JSON: plain data, never pickle, so reading one runs no code. The
result is what the reporters, the baseline and ``--verbose`` use: the findings (without the
file's name: a result is shared by every path with the same content), notices, the count of
findings Markdown comments silenced, the report kind, the reader's encoding, format and note,
and the extracted text of .docx/.pdf/.html files (for the reporters that quote lines; a text
file's own text is decoded again from its bytes when a reporter needs it). An entry is used
only when its stored key is the one looked up and every field has the expected type and
range, its findings naming rules the packs have; anything else (damaged, truncated, planted,
a symlink, a FIFO, too large) is a miss: the file is checked and the entry written anew.

**Stat index.** Reading and hashing an unchanged file is most of what a re-run costs, so each
folder's files have an index, ``results/index/<hash of the folder>.json``: file name -> size,
modification and status-change times (ns), inode, content hash, recorded when the file was
read. A file whose ``stat`` still gives the same four values is taken to have that content
without being read. The content hash stays the truth: the index only says which hash to look
up, a record is written only when ``stat`` gave the same values before and after the file was
read, and only for a file unchanged for :data:`RACY_NS` before it was read (a write within the
file system's timestamp granularity after the read could otherwise leave all four values as
they were: git's "racy" files). ``touch -d`` cannot fake a record: it changes the
status-change time. A text file a reporter quotes (``--format full``, HTML, baselines) is read
all the same, and its hash checked.

**Sharing and size.** Entries are written through a temporary file and a rename, so runs side
by side (several terminals, CI jobs sharing the folder, worker processes) never see a partial
one; two runs writing the same entry write the same bytes. The stat index of a folder is
merged with what is on disk when written (a record lost to a run writing at the same moment
only costs a read). The folder is bounded (:func:`max_size`, 256 MB by default,
``FZLINT_CACHE_MAX_SIZE``): a ledger (``results/state.json``) adds up what runs wrote, and
when it passes the bound the least recently used entries (modification time; an entry read
more than a day after it was written or last used is touched) are removed down to 80% of it.

``--no-cache`` (or ``FZLINT_NO_CACHE=1``) neither reads nor writes results; standard input is
never cached. ``fzlint cache info`` and ``fzlint cache clear`` show and empty the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import time
from functools import cache, lru_cache
from pathlib import Path

from checker.cache import cache_dir, private_folder, read_entry, read_entry_touched, write_atomically
from checker.diagnostics import Severity
from checker.sources.formats import BY_SUFFIX

FORMAT = "fzlint-results-1"          # change when the key or the entry's shape changes
INDEX_FORMAT = "fzlint-stat-2"
RACY_NS = 2_000_000_000              # a file changed less than this before it was read: no stat record
TOUCH_AFTER = 86_400                 # seconds: an entry used this long after its last touch is touched
DEFAULT_MAX_SIZE = 256 * 1024 * 1024
PRUNE_TO = 0.8                       # pruning removes the oldest entries down to this share of the bound
RESCAN_AFTER = 7 * 86_400            # seconds: the ledger is recounted at least this often
MAX_INDEX_FILES = 100_000            # records of one folder's index
STALE_TMP = 3_600                    # seconds: a temporary file older than this was left by a crashed run

RESULTS = "results"
INDEX = "index"
STATE = "state.json"
_INDEX_NAME = re.compile(r"[0-9a-f]{40}\.json")
_ROOT_NAMES = re.compile(rf"[0-9a-f]{{64}}\.json|{re.escape(STATE)}")
_TEMP_NAME = re.compile(r"\..+\.\d+\.tmp")
_DECODER = json.JSONDecoder()

# The libraries whose version can change what a format's reader makes of a file: (module,
# distribution as its .dist-info folder names it).
_READER_LIBRARIES = {"docx": (("docx", "python_docx"), ("lxml", "lxml")), "pdf": (("pypdf", "pypdf"),),
                     "html": (("lxml", "lxml"),)}
_LIBRARIES = (("lark", "lark"), ("re2", "google_re2"))      # the parser, the rules' regexes


def disabled_by_environment() -> bool:
    return os.environ.get("FZLINT_NO_CACHE", "") not in ("", "0")


def max_size() -> int:
    """The bound of the results folder in bytes: ``FZLINT_CACHE_MAX_SIZE`` (``500MB``), else
    :data:`DEFAULT_MAX_SIZE`; a value that is not a size is ignored."""
    from checker.sources import parse_size

    try:
        return parse_size(os.environ.get("FZLINT_CACHE_MAX_SIZE", "") or DEFAULT_MAX_SIZE)
    except ValueError:
        return DEFAULT_MAX_SIZE


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """fzlint itself, as it decides findings: its version, the content of every file of the
    package (a source checkout that was edited is another fzlint) and of the grammar, Python's
    version and the versions of the parser's and the regex library. Content, not modification
    times, so that a cache restored in CI is used by the same fzlint installed anew (~3 ms)."""
    from checker import __version__, resources

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    package = Path(__file__).resolve().parent
    files = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files.extend(os.path.join(folder, n) for n in sorted(names) if not n.endswith((".pyc", ".tmp")))
    files.append(str(resources.grammar_path()))
    for f in files:
        try:
            with open(f, "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        h.update(f"{os.path.relpath(f, package)}\0{len(data)}\0".encode("utf-8", "replace"))
        h.update(data)
    h.update("\0".join(_version(*lib) for lib in _LIBRARIES).encode())
    return h.hexdigest()


@cache
def _version(module: str, distribution: str) -> str:
    """The installed version of a library, from the name of its ``.dist-info`` folder beside
    it (importlib.metadata costs 20 ms to import, the library itself more)."""
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
        site = os.path.dirname(os.path.dirname(spec.origin)) if spec.submodule_search_locations \
            else os.path.dirname(spec.origin)
    except Exception:  # noqa: BLE001 - not installed
        return f"{module}:-"
    return f"{module}:{_installed(site).get(distribution.lower(), '?')}"


@cache
def _installed(site: str) -> dict[str, str]:
    """{distribution: version} of the ``.dist-info`` folders in ``site``."""
    try:
        names = os.listdir(site)
    except OSError:
        return {}
    out = {}
    for name in names:
        if name.endswith(".dist-info") and "-" in name:
            dist, version = name[:-len(".dist-info")].rsplit("-", 1)
            out[dist.lower()] = version
    return out


@cache
def _reader_versions(suffix: str) -> str:
    return "\0".join(_version(*lib) for lib in _READER_LIBRARIES.get(BY_SUFFIX[suffix].name, ()))


def _is_text(suffix: str) -> bool:
    """A format whose checked text is the file's own text, decoded (not stored in entries)."""
    return BY_SUFFIX[suffix].module == "text"


def _stamp(st: os.stat_result) -> str:
    """What a file's ``stat`` says of its content: ``size:mtime_ns:ctime_ns:inode``. A stat
    record is this and the content hash, ``stamp:hash`` (one string: 20,000 files' records are
    held at once)."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _suffix(path) -> str:
    """``Path(path).suffix.lower()``, without making a Path."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache:
    """One run's use of the result cache. The parent process looks files up in the stat index
    (:meth:`known`), serves unchanged files (:meth:`merge`) and writes the index at the end
    (:meth:`save`); :meth:`lint` (in the parent or a worker) checks a file through the cache.
    ``keep_text``: the run's reporters quote lines, so results carry the checked text."""

    def __init__(self, folder: Path, keep_text: bool):
        self.root = os.path.join(folder, RESULTS)
        self.keep_text = keep_text
        self._bases: dict[int, tuple[object, str | None]] = {}
        self._enabled: dict[frozenset | None, str] = {}
        self._folders: dict[str, bool] = {}
        self._new: dict[str, dict[str, str]] = {}      # folder -> file name -> stat record
        self.written = 0                                # bytes of entries this process wrote
        self.hits = self.checked = 0                    # files served from the cache / checked

    @classmethod
    def open(cls, keep_text: bool) -> ResultCache | None:
        """The cache of this run; None when it is turned off or the cache folder is unusable."""
        if disabled_by_environment():
            return None
        folder = cache_dir()
        if folder is None or not private_folder(folder / RESULTS):
            return None
        return cls(folder, keep_text)

    def __getstate__(self):           # worker processes started with spawn: the folder only
        return {"root": self.root, "keep_text": self.keep_text}

    def __setstate__(self, state):
        self.__init__(os.path.dirname(state["root"]), state["keep_text"])

    # -- keys ------------------------------------------------------------------------------
    def _base(self, settings) -> str | None:
        held = self._bases.get(id(settings))
        if held is None or held[0] is not settings:
            fingerprint = getattr(settings, "fingerprint", "")
            held = (settings, _sha(f"{code_fingerprint()}\0{fingerprint}") if fingerprint else None)
            self._bases[id(settings)] = held
        return held[1]

    def key(self, settings, enabled: frozenset[str] | None, suffix: str, digest: str) -> str | None:
        """The entry key of a file's result; None when the settings cannot be fingerprinted."""
        base = self._base(settings)
        if base is None:
            return None
        rules = self._enabled.get(enabled)
        if rules is None:
            rules = self._enabled[enabled] = "*" if enabled is None else _sha(",".join(sorted(enabled)))
        return _sha(f"{base}\0{rules}\0{suffix}\0{_reader_versions(suffix)}\0{digest}")

    def _entry(self, key: str) -> str:
        return f"{self.root}{os.sep}{key}.json"

    def _private(self, folder: str, create: bool) -> bool:
        """``folder`` (in the results folder) is fzlint's own, checked once a run."""
        ok = self._folders.get(folder)
        if ok is None or (not ok and create):
            ok = self._folders[folder] = private_folder(Path(folder), create)
        return ok

    # -- the parent: the stat index --------------------------------------------------------
    def known(self, entries, resolver) -> list[tuple[str, str] | None] | None:
        """For each entry, (content hash, entry key) of a file that the stat index says is
        unchanged and whose result is stored; None for the others (all None: None)."""
        out: list[tuple[str, str] | None] = []
        index: dict[str, dict[str, str]] = {}       # folder as named -> its records
        for path, _, error in entries:
            out.append(None if error is not None else self._lookup(path, resolver, index))
        return out if any(d is not None for d in out) else None

    def _lookup(self, path: Path, resolver, index: dict) -> tuple[str, str] | None:
        spath = os.fspath(path)
        folder, name = os.path.split(spath)
        records = index.get(folder)
        if records is None:
            records = index[folder] = self._read_index(os.path.abspath(folder))
        record = records.get(name)
        if type(record) is not str:
            return None
        suffix = _suffix(name)
        try:
            settings = resolver.for_path(path)
            st = os.stat(spath)
        except Exception:  # noqa: BLE001 - gone, or a bad configuration: reported when the file is reached
            return None
        stamp, _, digest = record.rpartition(":")
        if stamp != _stamp(st) or not stat.S_ISREG(st.st_mode) or suffix not in BY_SUFFIX:
            return None
        key = self.key(settings, settings.enabled_for(path), suffix, digest)
        if key is None or not os.path.isfile(self._entry(key)):
            return None
        return digest, key

    def _index_path(self, folder: str) -> str:
        return os.path.join(self.root, INDEX, f"{_sha(folder)[:40]}.json")

    def _read_index(self, folder: str) -> dict[str, str]:
        """A folder's stat index (``folder``: absolute); {} when missing or not exactly of
        fzlint's shape."""
        if not self._private(os.path.join(self.root, INDEX), False):
            return {}
        raw = read_entry_touched(self._index_path(folder), time.time() - TOUCH_AFTER)
        try:
            fmt, stored, records = json.loads(raw) if raw is not None else (None, None, None)
        except (ValueError, TypeError, RecursionError):
            return {}
        if fmt != INDEX_FORMAT or stored != folder or type(records) is not dict:
            return {}
        return records          # a record not of the shape never matches a file's stamp

    def note(self, path: Path, result) -> None:
        """What a checked file's result tells the cache: a stat record, bytes written, a hit."""
        note = getattr(result, "cache_note", None)
        if note is None:
            return
        record, written, hit = note
        self.written += written
        if hit:
            self.hits += 1
        else:
            self.checked += 1
        if record is not None:
            folder, name = os.path.split(os.fspath(path))
            self._new.setdefault(os.path.abspath(folder), {})[name] = record

    def merge(self, entries, known, checked, resolver):
        """(path, result) for every entry in order: a known file's stored result, else the next
        of ``checked`` (the results of the other entries, in order)."""
        from checker.lint import lint_entry

        try:
            for i, (path, display, error) in enumerate(entries):
                found = known[i] if known is not None else None
                if found is not None:
                    result = self.stored(path, display, resolver.for_path(path), *found)
                    if result is None:        # removed or damaged since: check the file here
                        result = lint_entry(resolver, path, display, error, self)
                else:
                    path, result = next(checked)
                self.note(path, result)
                yield path, result
        finally:
            close = getattr(checked, "close", None)
            if close is not None:
                close()          # worker processes stop when the run stops early

    def stored(self, path: Path, display: str, settings, digest: str, key: str):
        """The stored result (under ``key``, found by :meth:`known`) of a file the stat index
        says is unchanged and has the content hash ``digest``; None on any doubt."""
        try:
            suffix = _suffix(path)
            enabled = settings.enabled_for(path)
            data = None
            if self.keep_text and _is_text(suffix):     # the text is not stored: read it again
                from checker.fileio import read_regular

                data = read_regular(path, settings.max_bytes)
                if hashlib.sha256(data).hexdigest() != digest:
                    return None
            result = self._load(key, display, settings, enabled, suffix, data)
        except Exception:  # noqa: BLE001 - an entry that cannot be used only costs a check
            return None
        if result is not None:
            result.cache_note = (None, 0, True)
        return result

    # -- any process: check a file through the cache ----------------------------------------
    def lint(self, path: Path, display: str, settings, enabled: frozenset[str] | None):
        """Check the file at ``path``: its bytes are read and hashed, a stored result is used,
        else the file is checked and its result stored. The result's ``cache_note`` tells the
        parent the stat record to keep (or None), the bytes written, and whether it was a hit."""
        from checker.fileio import TooLarge, read_regular
        from checker.lint import lint_bytes, lint_path

        suffix = _suffix(path)
        if suffix not in BY_SUFFIX or self._base(settings) is None:
            return lint_path(path, settings.registry, enabled, display, settings.max_bytes)
        try:
            before = os.stat(path)
            data = read_regular(path, settings.max_bytes)
        except (OSError, TooLarge):          # not there, not a file, too large...: as without a cache
            return lint_path(path, settings.registry, enabled, display, settings.max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        key = self.key(settings, enabled, suffix, digest)
        result = self._load(key, display, settings, enabled, suffix, data)
        written, hit = 0, result is not None
        if result is None:
            result = lint_bytes(data, display, settings.registry, enabled, settings.max_bytes)
            written = self._store(key, result, display, suffix)
        result.cache_note = (self._record(path, before, digest), written, hit)
        return result

    @staticmethod
    def _record(path: Path, before: os.stat_result, digest: str) -> str | None:
        """The stat record of a file read between ``before`` and now, if it may be trusted."""
        try:
            after = os.stat(path)
        except OSError:
            return None
        stamp = _stamp(after)
        if stamp != _stamp(before) or time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns) < RACY_NS:
            return None
        return f"{stamp}:{digest}"

    def _load(self, key: str | None, display: str, settings, enabled, suffix: str, data: bytes | None):
        if key is None or not self._private(self.root, False):
            return None
        raw = read_entry_touched(self._entry(key), time.time() - TOUCH_AFTER)
        if raw is None:
            return None
        try:
            # decoded here and parsed with raw_decode: json.loads of the bytes guesses their
            # encoding and wraps the same parse (2,000 entries: 23 -> 17 ms)
            text = raw.decode("utf-8")
            (fmt, stored, payload), end = _DECODER.raw_decode(text)
            if end != len(text) or fmt != FORMAT or stored != key:
                return None
            return _result(payload, display, settings, enabled, suffix, data, self.keep_text)
        except Exception:  # noqa: BLE001 - not of the shape, or not what the reader makes of the file
            return None

    def _store(self, key: str, result, display: str, suffix: str) -> int:
        """Write the entry of ``result``; the bytes written (0 when it was not)."""
        payload = _payload(result, display, suffix)
        if payload is None:
            return 0
        try:
            blob = json.dumps([FORMAT, key, payload], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (ValueError, TypeError):     # a lone surrogate, a value JSON cannot hold
            return 0
        entry = self._entry(key)
        if not self._private(self.root, False) or not write_atomically(Path(entry), blob):
            return 0
        return len(blob)

    # -- the parent, at the end ----------------------------------------------------------------
    def save(self) -> None:
        """Write the stat records of this run (merged with what is on disk) and account for
        what was written; prune when the folder passed its bound. Errors only cost time."""
        try:
            self._save()
        except Exception:  # noqa: BLE001 - the run's findings are out: a cache problem must not fail it
            pass

    def _save(self) -> None:
        if self._new and self._private(os.path.join(self.root, INDEX), True):
            for folder, records in self._new.items():
                merged = self._read_index(folder)
                merged.update(records)
                if len(merged) > MAX_INDEX_FILES:
                    merged = dict(records) if len(records) <= MAX_INDEX_FILES else {}
                blob = json.dumps([INDEX_FORMAT, folder, merged], ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8", "surrogatepass")
                if write_atomically(Path(self._index_path(folder)), blob):
                    self.written += len(blob)
            self._new.clear()
        if self.written:
            account(Path(self.root), self.written)
            self.written = 0


def _payload(result, display: str, suffix: str) -> dict | None:
    """A result as stored: None when it cannot be stored without its file's name."""
    prefix = f"{display}:"
    if any(not n.startswith(prefix) for n in result.notices) or any(d.path != display for d in result.diagnostics):
        return None
    src = result.source
    return {
        "d": [[d.span.line, d.span.column, d.span.end_line, d.span.end_column, d.code, d.name, int(d.severity),
               d.message, d.where] for d in result.diagnostics],
        "n": [n[len(prefix):] for n in result.notices],
        "s": result.suppressed,
        "c": result.checked,
        "k": result.kind,
        "r": None if src is None else [src.encoding, src.format, src.note],
        "t": None if src is None or _is_text(suffix) else src.text,
    }


class _Invalid(ValueError):
    pass


_SEVERITIES = {int(s): s for s in Severity}


def _expect(ok: bool) -> None:
    if not ok:
        raise _Invalid


_CLASSES: list = []


def _load_classes() -> None:
    """What :func:`_result` builds results of (imported once: it runs once per file)."""
    from checker.diagnostics import Diagnostic, Span
    from checker.lint import FileResult
    from checker.sources import Source, read_bytes

    _CLASSES[:] = [Diagnostic, Span, FileResult, Source, read_bytes]


def _result(p: dict, display: str, settings, enabled, suffix: str, data: bytes | None, keep_text: bool):
    """The FileResult of a stored payload, checked field by field (raises ValueError)."""
    if not _CLASSES:
        _load_classes()
    Diagnostic, Span, FileResult, Source, read_bytes = _CLASSES
    rule_ids = settings.rule_ids             # from the registry, or the settings record: never built here

    _expect(type(p) is dict and len(p) == 7)
    found, notices, suppressed, checked, kind, src, text = p["d"], p["n"], p["s"], p["c"], p["k"], p["r"], p["t"]
    _expect(type(found) is list and type(notices) is list and type(suppressed) is int and suppressed >= 0
            and type(checked) is bool)
    diagnostics = []
    for item in found:
        _expect(type(item) is list and len(item) == 9)
        line, column, end_line, end_column, code, name, severity, message, where = item
        _expect(type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int
                and line >= 0 and column >= 0 and end_line >= 0 and end_column >= 0
                and type(code) is str and code in rule_ids and (enabled is None or code in enabled)
                and type(name) is str and type(message) is str and (where is None or type(where) is str)
                and type(severity) is int)
        diagnostics.append(Diagnostic(display, Span(line, column, end_line, end_column), code, name,
                                      _SEVERITIES[severity], message, where))
    _expect(all(type(n) is str for n in notices))
    _expect(kind is None or (type(kind) is str and kind in settings.pack_names))
    source = None
    if src is not None:
        _expect(type(src) is list and len(src) == 3 and all(type(v) is str for v in src))
        _expect(text is None if _is_text(suffix) else type(text) is str)
        if not keep_text:
            text = ""
        elif _is_text(suffix):
            _expect(data is not None)
            text = read_bytes(data, display, settings.max_bytes).text
        encoding, fmt, note = src
        source = Source(display, text, encoding, fmt, note=note)
    return FileResult(display, diagnostics, source=source, suppressed=suppressed,
                      notices=[f"{display}:{n}" for n in notices], enabled=enabled, checked=checked, kind=kind)


# -- the folder's size ------------------------------------------------------------------------
def account(root: Path, written: int) -> None:
    """Add ``written`` bytes to the ledger; prune when it passes the bound (or is a week old)."""
    path = root / STATE
    raw = read_entry(path)
    try:
        state = json.loads(raw) if raw is not None else None
        total, scanned = int(state["bytes"]), float(state["scanned"])
    except (ValueError, TypeError, KeyError, RecursionError):
        total, scanned = None, 0.0        # no ledger yet, or not one fzlint wrote: count
    limit = max_size()
    if total is None or total + written > limit or time.time() - scanned > RESCAN_AFTER:
        prune(root, limit)
        return
    write_atomically(path, json.dumps({"bytes": total + written, "scanned": scanned}).encode())


def _files(folder: Path, wanted):
    """(path, stat) of each regular file or symlink in ``folder`` whose name ``wanted`` accepts,
    never followed; nothing when the folder cannot be listed. A generator over the folder
    (20,000 entries are never held at once)."""
    try:
        it = os.scandir(folder)
    except OSError:
        return
    with it:
        for e in it:
            if wanted(e.name):
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    yield Path(e.path), st


def _owned(root: Path):
    """(path, stat) of every file of the results folder that fzlint writes: entries, stat
    indexes, the ledger and temporary files; only in fzlint's own, private folders, never
    through a symlink."""
    if not private_folder(root, create=False):
        return
    yield from _files(root, lambda name: _ROOT_NAMES.fullmatch(name) or _TEMP_NAME.fullmatch(name))
    if private_folder(root / INDEX, create=False):
        yield from _files(root / INDEX, lambda name: _INDEX_NAME.fullmatch(name) or _TEMP_NAME.fullmatch(name))


def prune(root: Path, limit: int) -> tuple[int, int]:
    """Remove the least recently used entries until the results folder holds at most
    :data:`PRUNE_TO` of ``limit`` bytes (temporary files a crashed run left go first); write the
    exact total to the ledger. Returns (files removed, bytes removed). The folder is listed
    once to add it up, and once more, keeping (time, size, name) of each file, only when it
    is over the bound."""
    now = time.time()
    removed = freed = total = 0
    stale = []
    for path, st in _owned(root):
        if path.name == STATE:
            continue
        if _TEMP_NAME.fullmatch(path.name):
            if now - st.st_mtime > STALE_TMP:
                stale.append((path, st.st_size))
            continue
        total += st.st_size
    for path, size in stale:
        if _unlink(path):
            removed, freed = removed + 1, freed + size
    if total > limit:
        kept = sorted((st.st_mtime, st.st_size, str(path)) for path, st in _owned(root)
                      if path.name != STATE and not _TEMP_NAME.fullmatch(path.name))
        for _, size, path in kept:
            if total <= limit * PRUNE_TO:
                break
            if _unlink(Path(path)):
                total, removed, freed = total - size, removed + 1, freed + size
        del kept
    write_atomically(root / STATE, json.dumps({"bytes": total, "scanned": now}).encode())
    return removed, freed


def _unlink(path: Path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


# -- fzlint cache info / clear ------------------------------------------------------------------
# The files fzlint writes at the top of its cache folder (checker/cache.py's users), with the
# names earlier versions used: only these are counted and removed (FZLINT_CACHE_DIR may name a
# folder that holds other files too).
_TOP_NAMES = re.compile(r"(?:pack|settings)-[0-9a-f]{64}\.json|pack-[0-9a-f]{64}\.marshal|"
                        r"report-grammar\.(?:json|lark-cache)")


def _top_name(name: str) -> bool:
    """A file fzlint writes at the top of its cache folder, or a temporary file of one."""
    if _TEMP_NAME.fullmatch(name):
        return bool(_TOP_NAMES.fullmatch(name[1:].rsplit(".", 2)[0]))
    return bool(_TOP_NAMES.fullmatch(name))


def _top_files(folder: Path):
    return _files(folder, _top_name)


def usage(folder: Path) -> dict[str, list[int]]:
    """What the cache folder holds, by kind: {"results" | "index" | "other": [files, bytes]}."""
    out = {"results": [0, 0], "index": [0, 0], "other": [0, 0]}
    for path, st in [*_top_files(folder), *_owned(folder / RESULTS)]:
        kind = "other" if path.parent == folder or path.name == STATE or _TEMP_NAME.fullmatch(path.name) \
            else "index" if path.parent.name == INDEX else "results"
        out[kind][0] += 1
        out[kind][1] += st.st_size
    return out


def clear(folder: Path) -> tuple[int, int]:
    """Remove every file fzlint wrote in its cache folder (parsed packs, settings records, parser
    tables, results, stat indexes, ledger, temporary files) and its emptied subfolders; other files stay.
    Returns (files removed, bytes removed)."""
    removed = freed = 0
    for path, st in [*_top_files(folder), *_owned(folder / RESULTS)]:
        if _unlink(path):
            removed, freed = removed + 1, freed + st.st_size
    root = folder / RESULTS
    if private_folder(root, create=False):
        for empty in (root / INDEX, root):       # only when empty: a file fzlint did not write stays
            try:
                os.rmdir(empty)
            except OSError:
                pass
    return removed, freed
