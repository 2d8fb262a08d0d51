"""File names and texts made safe to print: one display form for every output format.

Three hazards come from the files fzlint checks, not from fzlint:

**Names that are not UTF-8.** A zip made on Chinese Windows names its files in GBK; unpacked
on Linux, such a name is bytes that do not decode, and Python hands it over as a ``str``
with lone surrogates (``\\udcb1``: PEP 383). Written to a UTF-8 stream those surrogates are
an error (or, with ``surrogateescape``, raw bytes no JSON or CSV parser accepts).
:func:`display_path` gives every format the same name instead, path component by
component (the folders above are usually the user's own UTF-8 names):

* a component whose bytes are UTF-8 after all (the file system encoding was ASCII, e.g.
  ``LC_ALL=C`` without UTF-8 mode) is shown decoded;
* else, when its bytes decode as GB18030 into ordinary Chinese (common Hanzi of GB2312 or
  their traditional forms, ASCII, CJK and full-width punctuation), it is shown decoded:
  ``报告.txt``, as the sender named it. Such a name cannot be typed back to open the file;
  ``ls -b`` shows its bytes;
* else every byte that does not decode as UTF-8 is shown as ``\\xNN`` (``\\xb1\\xa8.txt``).

**Control characters in names and in quoted text.** A newline in a file name would forge a
finding line in a CI log, ``\\x1b[2J`` in a report's title would clear the terminal, a bidi
override (U+202E) would reorder the line. :func:`escape` shows them as backslash escapes in
every human format (concise, full, terminal colours, github, junit, csv, --summary, the HTML
report): ``\\t`` ``\\n`` ``\\r``, ``\\u001b`` for other C0 and C1 controls and DEL, ``\\u202e``
for format characters (bidi controls, zero-width characters, BOM) and line/paragraph
separators, ``\\xNN`` for a byte that did not decode (a backslash itself is left as it is).
Ordinary names and messages (Chinese text, spaces, ideographic spaces) are printed unchanged,
so ``path:line:col: CODE`` lines are what they were. github keeps CR and LF for its own
``%0D``/``%0A``. JSON and SARIF carry the text itself, only without surrogates
(:func:`no_surrogates`); every control and bidi character in it is written as a JSON
``\\uXXXX`` escape (:func:`json_escapes`), so the file is safe to ``cat`` and parses back
to the same string. (Quoted source lines in ``full`` and the HTML report show control
characters as control pictures instead, ␛, so the marker under them stays aligned.)

**CSV cells** that start with ``=`` ``+`` ``-`` ``@`` (or tab, CR) are formulas to Excel and
WPS; :func:`csv_cell` prefixes them with ``'`` as OWASP advises.
"""

from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache

# categories shown as escapes: controls, format characters (bidi, zero-width, BOM, tags),
# surrogates (undecodable bytes), line and paragraph separators
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:          # a byte that did not decode (PEP 383)
        return f"\\x{code - 0xDC00:02x}"
    short = _SHORT.get(ch)
    if short is not None:
        return short
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape(text: str, keep: str = "") -> str:
    """``text`` with control, format and separator characters and undecodable bytes as
    backslash escapes (see the module docstring); ``keep``: characters left as they are
    (github keeps CR and LF for its own %-escaping)."""
    if text.isprintable():      # the common case, in C (a regex is slower, and slow to compile)
        return text
    import unicodedata

    return "".join(_escape_char(ch) if not ch.isprintable() and ch not in keep
                   and unicodedata.category(ch) in UNSAFE_CATEGORIES else ch for ch in text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def no_surrogates(text: str) -> str:
    """``text`` encodable as UTF-8: a lone surrogate shown as :func:`escape` shows it."""
    if text.isprintable() or not _has_surrogates(text):
        return text
    return "".join(_escape_char(ch) if "\ud800" <= ch <= "\udfff" else ch for ch in text)


# characters a JSON encoder leaves raw that a terminal or a browser acts on (DEL and C1
# controls, bidi controls, line/paragraph separators): written as \\uXXXX escapes instead,
# which JSON reads back as the same characters
_JSON_RAW = "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"


@lru_cache(maxsize=1)
def _json_raw() -> re.Pattern:
    return re.compile(_JSON_RAW)     # when a JSON report is written, not at every start


def json_escapes(encoded: str) -> str:
    """JSON text with :data:`_JSON_RAW` characters escaped (they occur only inside strings)."""
    return _json_raw().sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def display_path(path: str) -> str:
    """The name a report gives a file: ``path`` without surrogates, undecodable components
    shown decoded (UTF-8, else plausible GB18030) or with ``\\xNN`` bytes. Control
    characters are kept: human formats pass the result to :func:`escape`."""
    if path.isprintable() or not _has_surrogates(path):
        return path
    return "/".join(_component(part) if _has_surrogates(part) else part for part in path.split("/"))


@lru_cache(maxsize=1024)     # a file's name is shown once per finding
def human_path(path: str) -> str:
    """A file name as every human format shows it."""
    return escape(display_path(path))


@lru_cache(maxsize=256)
def _component(part: str) -> str:
    try:
        raw = os.fsencode(part)
    except UnicodeError:                  # surrogates that are not escaped bytes
        return no_surrogates(part)
    try:
        return raw.decode("utf-8")        # the file system encoding was not UTF-8
    except UnicodeDecodeError:
        pass
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        decoded = None
    if decoded is not None and _plausible_name(decoded):
        return decoded
    return raw.decode("utf-8", "backslashreplace")


_NAME_COMMON = r"[\x20-\x7e\u3000-\u303f\uff01-\uffef\u2010-\u2027\u00b7\u2460-\u24ff]"   # compiled when needed


def _plausible_name(text: str) -> bool:
    """Does a GB18030 decoding of a name read as Chinese: at least one Hanzi, and nothing but
    common Hanzi (GB2312, or the traditional form of one), ASCII and CJK punctuation? Bytes of
    another encoding (Big5, Shift-JIS) decode into rare characters and fail this."""
    from checker.sources.text import common_hanzi  # the reader's own test of decoded text

    rest = re.sub(_NAME_COMMON, "", text)
    return bool(rest) and all(map(common_hanzi, rest))


def csv_cell(text: str) -> str:
    """A CSV text cell as shown (:func:`escape`) and never a formula: a cell starting with
    ``= + - @``, tab or CR gets a leading ``'`` (OWASP, CSV injection)."""
    text = escape(text)
    return "'" + text if text.startswith(FORMULA_START) else text


# codecs that encode every character, so no text needs escaping for the stream itself
_UNICODE_CODECS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                             "utf-32-be", "gb18030"})


def unicode_capable(stream) -> bool:
    """Can ``stream`` take any character (a UTF encoding, GB18030, or an in-memory text)?"""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name in _UNICODE_CODECS
    except LookupError:
        return False
