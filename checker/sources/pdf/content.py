"""Pieces: runs the text operators of a page's content stream and places what they draw.

Receives a page of a pypdf reader (:meth:`_Painter.page`); returns the pieces of text it
draws (:class:`_Run`), each with its exact start and end along the baseline, its height, size
and direction. The operators come from :mod:`.tokenizer`, the glyphs and their widths from
:mod:`.fonts`, and every step is counted against the document's budget (:mod:`.budget`).

The text operators of each page's content stream are run with the text state (Tf, Tc, Tw,
Tz, TL, Td/TD/Tm/T*, q/Q, cm): each string of Tj, ', " and TJ is decoded with pypdf's reading
of the font's encoding and /ToUnicode map, and every glyph advances the pen by its width from
the font dictionary (see :class:`_Font`), the character and word spacing and the TJ
displacements. A piece of text is what one string draws, or a TJ array between displacements
of a tenth of an em or more, with its exact start and end along the baseline; so glyphs that
one TJ array sets far apart (LibreOffice draws all the quotation marks of a line, which come
from another font, in one array, and the text between them afterwards) land where they are
drawn. Text in form XObjects is placed through the form's matrix, and text set in another
direction (90°, 180°, 270°) is measured in its own reading frame. Fonts and forms are read
once, and so is content that several pages draw (from the second page that draws it on).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pypdf
from pypdf.generic import IndirectObject, StreamObject

from checker.sources import SourceError
from checker.sources.pdf.budget import MAX_FORM_DEPTH, _Work
from checker.sources.pdf.fonts import _NO_FONT, _Font
from checker.sources.pdf.objects import _FATAL, _get, _number, _ref_key, _resolve

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a lone half that a /ToUnicode map may give: not printable

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SPLIT_KERN = 100        # a TJ displacement this large (thousandths of an em) starts a new piece
TJ_SPACE = 180          # ... and a gap this wide is a word space (TeX sets spaces as kerns)


@dataclass(slots=True)
class _Run:
    text: str
    x: float          # start of the run along the baseline
    y: float          # baseline height (larger is higher up the page)
    size: float       # effective font size
    turn: int         # text direction: 0, 90, 180, 270
    end: float        # end of the run along the baseline (from the glyph widths)


@dataclass(slots=True)
class _State:
    """The graphics state the text depends on (saved by q, restored by Q)."""

    ctm: tuple[float, ...] = _IDENTITY
    font: _Font | None = None
    size: float = 0.0
    char_space: float = 0.0   # Tc
    word_space: float = 0.0   # Tw
    scale: float = 1.0        # Tz / 100
    leading: float = 0.0      # TL

    def copy(self) -> _State:
        return _State(self.ctm, self.font, self.size, self.char_space, self.word_space, self.scale,
                      self.leading)


class _Painter:
    """Runs the text operators of content streams, placing every piece of text it shows.

    A piece is what one string (or the strings of one TJ array between displacements of
    :data:`SPLIT_KERN` or more) draws; it gets its start and its end from the glyph widths,
    kerning, Tc, Tw and Tz, so that glyphs placed by displacements inside one TJ array
    (LibreOffice sets the quotation marks of a line, which come from another font, in one
    array) land where they are drawn. Fonts and form XObjects are read once per document.
    """

    def __init__(self, reader: pypdf.PdfReader) -> None:
        self.reader = reader
        self.fonts: dict[object, _Font] = {}
        self.forms: dict[object, tuple[list, tuple[float, ...], object] | None] = {}
        # page contents drawn on more than one page -> their operations, parsed once more only
        self.parsed: dict[object, list] = {}
        self.seen: set[object] = set()
        # (resources, name) -> (resources, what it names): looked up once per resource dictionary
        self.font_names: dict[tuple[int, str], tuple[object, _Font]] = {}
        self.form_names: dict[tuple[int, str], tuple[object, tuple | None]] = {}
        self.work = _Work()

    def page(self, page) -> list[_Run]:
        runs: list[_Run] = []
        raw = page.raw_get("/Contents") if "/Contents" in page else None
        contents = _resolve(raw)
        if contents is None:
            return runs
        if isinstance(contents, list):  # an array of streams, drawn as their concatenation
            key = tuple(_ref_key(item) for item in contents) if all(
                isinstance(item, IndirectObject) for item in contents) else None
        else:
            key = _ref_key(raw) if isinstance(raw, IndirectObject) else None
        operations = self.parsed.get(key) if key is not None else None
        self.work.pages += 1
        self.work.repeated += key in self.seen
        self.work.nesting = 0   # (after a page that failed inside a form)
        if operations is None:
            operations = self._parse(contents)
            if key in self.seen:   # contents drawn on a second page: kept for any further ones
                self.parsed[key] = operations
            elif key is not None:
                self.seen.add(key)
        self._paint(operations, _get(page, "/Resources"), _State(), runs, [])
        return runs

    def _parse(self, contents) -> list:
        """The operations of a content stream (or of an array of streams, concatenated)."""
        if not isinstance(contents, list):
            if not isinstance(contents, StreamObject):
                raise ValueError("page contents that are not a stream")
            return self.work.parse(contents.get_data())
        parts = [item.get_data() for item in map(_resolve, contents)
                 if isinstance(item, StreamObject)]   # (pypdf skips anything else, too)
        if sum(map(len, parts)) > self.work.content:   # (before joining them)
            self.work.exceeded_content()
        return self.work.parse(b"\n".join(parts))

    def _font(self, resources, name) -> _Font:
        """The font ``name`` of ``resources`` (looked up once per resource dictionary)."""
        if not isinstance(name, str):
            return _NO_FONT
        hit = self.font_names.get((id(resources), name))
        if hit is not None and hit[0] is resources:  # (the dictionary is kept: its id is not reused)
            return hit[1]
        font = self._find_font(resources, name)
        self.font_names[(id(resources), name)] = (resources, font)
        return font

    def _find_font(self, resources, name) -> _Font:
        try:
            ref = _resolve(resources)["/Font"].get_object().raw_get(name)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - no such font
            return _NO_FONT
        key = _ref_key(ref)
        font = self.fonts.get(key)
        if font is None:
            try:
                font = _Font(ref.get_object())
            except _FATAL:
                raise
            except Exception:  # noqa: BLE001 - a broken font dictionary
                font = _NO_FONT
            self.fonts[key] = font
        return font

    def _form(self, resources, name) -> tuple[object, tuple] | None:
        """(key, (operations, matrix, resources)) of the form XObject ``name``; None for an image."""
        if not isinstance(name, str):
            return None
        hit = self.form_names.get((id(resources), name))
        if hit is not None and hit[0] is resources:
            return hit[1]
        form = self._find_form(resources, name)
        self.form_names[(id(resources), name)] = (resources, form)
        return form

    def _find_form(self, resources, name) -> tuple[object, tuple] | None:
        try:
            ref = _resolve(resources)["/XObject"].get_object().raw_get(name)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - no such XObject
            return None
        key = _ref_key(ref)
        if key not in self.forms:
            form = None
            try:
                xobj = ref.get_object()
                if isinstance(xobj, StreamObject) and _get(xobj, "/Subtype") == "/Form":
                    operations = self.work.parse(xobj.get_data())
                    matrix = tuple(_number(v, 0.0) for v in _get(xobj, "/Matrix") or _IDENTITY)
                    form = (operations,
                            matrix if len(matrix) == 6 else _IDENTITY,
                            _get(xobj, "/Resources"))
            except _FATAL:
                raise
            except Exception:  # noqa: BLE001 - a broken form: skipped
                form = None
            self.forms[key] = form
        form = self.forms[key]
        return None if form is None else (key, form)

    def _paint(self, operations, resources, st: _State, runs: list[_Run], inside: list) -> None:
        self.work.draw(len(operations))
        stack: list[_State] = []
        tm = tlm = _IDENTITY
        for operands, op in operations:
            if op == b"Tj" or op == b"TJ" or op == b"'" or op == b'"':
                if op == b"'" or op == b'"':
                    if op == b'"' and len(operands) >= 3:
                        st.word_space = _number(operands[0], st.word_space)
                        st.char_space = _number(operands[1], st.char_space)
                        operands = operands[2:]
                    tlm = tm = _move(tlm, 0.0, -st.leading)
                items = operands[0] if op == b"TJ" and operands else operands[:1]
                if isinstance(items, list) and items:
                    tm = self._show(items, tm, st, runs)
            elif op == b"Tm":
                if len(operands) >= 6:
                    tlm = tm = tuple(_number(v, 0.0) for v in operands[:6])
            elif op == b"Td" or op == b"TD":
                if len(operands) >= 2:
                    tx, ty = _number(operands[0], 0.0), _number(operands[1], 0.0)
                    if op == b"TD":
                        st.leading = -ty
                    tlm = tm = _move(tlm, tx, ty)
            elif op == b"T*":
                tlm = tm = _move(tlm, 0.0, -st.leading)
            elif op == b"Tf":
                if len(operands) >= 2:
                    st.font = self._font(resources, operands[0])
                    st.size = _number(operands[1], st.size)
            elif op == b"BT":
                tm = tlm = _IDENTITY
            elif op == b"q":
                stack.append(st.copy())
            elif op == b"Q":
                if stack:
                    st = stack.pop()
            elif op == b"cm":
                if len(operands) >= 6:
                    st.ctm = _mult(tuple(_number(v, 0.0) for v in operands[:6]), st.ctm)
            elif op == b"Tc":
                st.char_space = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Tw":
                st.word_space = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Tz":
                st.scale = _number(operands[0], 100.0) / 100 if operands else 1.0
            elif op == b"TL":
                st.leading = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Do" and operands:
                found = self._form(resources, operands[0])
                if found is None or found[0] in inside:
                    continue  # an image, or a form drawing itself
                key, (ops, matrix, res) = found
                if len(inside) >= MAX_FORM_DEPTH:
                    raise SourceError("too_complex",
                                      f"PDF 中表单对象嵌套超过 {MAX_FORM_DEPTH} 层（疑似恶意构造的文件）")
                inner = st.copy()
                inner.ctm = _mult(matrix, st.ctm)
                inside.append(key)
                self.work.nesting += 1
                self._paint(ops, res if res is not None else resources, inner, runs, inside)
                self.work.nesting -= 1
                inside.pop()

    def _show(self, items: list, tm: tuple[float, ...], st: _State, runs: list[_Run]) -> tuple[float, ...]:
        """Place the pieces of one text-showing operator; the text matrix after it."""
        font = st.font or _NO_FONT
        work = self.work
        m = _mult(tm, st.ctm)
        em = st.size * st.scale              # an advance of 1 em in text space, horizontally
        tc, tw = st.char_space * st.scale, st.word_space * st.scale
        pos = 0.0
        start = None
        parts: list[str] = []
        pieces: list[tuple[str, float, float]] = []
        left = work.glyphs
        for item in items:
            if isinstance(item, str):  # a string pypdf decoded after all: its bytes
                item = _string_bytes(item)
            if isinstance(item, bytes):
                work.glyphs -= len(item)
                if work.glyphs < 0:
                    work.exceeded_glyphs()
                glyphs = font.glyphs(item)
                if glyphs:
                    if start is None:
                        start = pos
                    texts, widths, spaces = zip(*glyphs)
                    parts += texts
                    pos += sum(widths) * em + len(texts) * tc + (sum(spaces) * tw if tw else 0.0)
            elif isinstance(item, (int, float)):
                shift = float(item)
                if parts and abs(shift) >= SPLIT_KERN:
                    pieces.append(("".join(parts), start, pos))
                    parts, start = [], None
                    if -shift >= TJ_SPACE:  # a space, if nothing is drawn into the gap
                        pieces.append((" ", pos, pos - shift / 1000 * em))
                pos -= shift / 1000 * em
        if parts:
            pieces.append(("".join(parts), start, pos))
        work.spend(left - work.glyphs + len(pieces))
        if pieces:
            work.runs -= len(pieces)
            if work.runs < 0:
                work.exceeded_runs()
            turn = _turn(m)
            size = float(st.size) * (math.hypot(m[2], m[3]) or 1.0) or 10.0
            for text, a, b in pieces:
                text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))
                if not text:
                    continue
                if text.isspace():
                    text = " "  # kept: a space drawn on its own separates words
                x0, y = _frame(m[4] + a * m[0], m[5] + a * m[1], turn)
                x1, _ = _frame(m[4] + b * m[0], m[5] + b * m[1], turn)
                runs.append(_Run(text, min(x0, x1), y, abs(size), turn, max(x0, x1)))
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + pos * tm[0], tm[5] + pos * tm[1])


def _string_bytes(text: str) -> bytes:
    try:
        return text.original_bytes  # a TextStringObject
    except AttributeError:
        return text.encode("latin-1", "replace")


def _move(tlm: tuple[float, ...], tx: float, ty: float) -> tuple[float, ...]:
    """The line matrix moved by (tx, ty) in text space (Td)."""
    return (tlm[0], tlm[1], tlm[2], tlm[3],
            tlm[4] + tx * tlm[0] + ty * tlm[2], tlm[5] + tx * tlm[1] + ty * tlm[3])


def _mult(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _turn(m: tuple[float, ...]) -> int:
    """Text direction of a run (as pypdf decides it)."""
    if m[3] > 1e-6:
        return 0
    if m[3] < -1e-6:
        return 180
    return 90 if m[1] > 0 else 270


def _frame(x: float, y: float, turn: int) -> tuple[float, float]:
    """Page coordinates -> (along the baseline, up the text) in the run's reading frame."""
    if turn == 90:
        return y, -x
    if turn == 180:
        return -x, -y
    if turn == 270:
        return -y, x
    return x, y
