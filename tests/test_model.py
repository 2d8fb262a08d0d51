"""skeleton/model.py: the document model's own helpers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.diagnostics import Span
from checker.skeleton.model import line_span
from checker.skeleton.normalize import Line

# what a line's view keeps, maps and drops: spaces of every kind, Markdown marks, invisible
# characters, half-width punctuation, letters and Chinese
_CHARS = " \u3000\t\xa0*#>\u200b\u00ad\ufe0f(),.：一二（）1aA报告\U000e0041"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=12))
def test_a_line_s_span_without_its_column_map_is_the_span_with_it(raw):
    fast = line_span(Line(3, raw))
    line = Line(3, raw)
    assert fast == Span(3, line.first_col, 3, line.end_col)      # first_col and end_col: the column map
    assert line_span(line) == fast                                 # the map made: read from it


def test_a_heading_line_s_span_covers_its_text_not_its_indent_or_trailing_spaces():
    assert line_span(Line(7, "\u3000\u3000一、 主要举措和成效  ")) == Span(7, 3, 7, 13)
    assert line_span(Line(7, "   ")) == Span(7, 1, 7, 1)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_a_heading_s_display_without_the_column_map_is_the_display_with_it(raw, a, b):
    from checker.skeleton.model import _ONE_PIECE, Heading, Text

    def heading(line):
        begin, end = sorted((min(a, len(line.text)), min(b, len(line.text))))
        title = Text(line.text[begin:end], _ONE_PIECE, (line, begin))
        return Heading(1, "一", "一、", title, line, None)

    mapped = Line(1, raw)
    assert mapped._cols is not None               # the column map made: display reads it
    assert heading(Line(1, raw)).display == heading(mapped).display
