"""One pass over a report that tells which of the rule packs' literal keywords occur in it.

Rules that look for literal keywords (forbidden_text, misnomer, required_content) would each
search the report once per keyword; most keywords (template placeholders, web-page residue,
misnamed regulations) occur in no report at all. The registry collects every check type's
literal keywords (a check module's ``literals(rule)``) into one RE2 set; per report, one
linear scan of the document's texts (title, headings and body, joined by newlines) tells
which occur, and the rules search only for those.

A keyword has no whitespace in the matching view, so wherever it occurs in a scope's texts it
occurs in the document's joined texts too: an absent keyword is absent from every scope.
"""

from __future__ import annotations


class Screen:
    def __init__(self, words: list[str]):
        import re2

        options = re2.Options()
        options.log_errors = False
        self.words = words
        self.known = frozenset(words)
        self._set = re2.Set.SearchSet(options)
        for word in words:
            self._set.Add(re2.escape(word))
        self._set.Compile()

    def present(self, data: bytes) -> frozenset[str]:
        """The keywords that occur in ``data`` (UTF-8)."""
        return frozenset(self.words[i] for i in self._set.Match(data) or ())
