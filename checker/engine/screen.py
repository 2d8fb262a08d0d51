"""One pass over a report that tells which of the rule packs' literal keywords and
document-wide regexes match in it.

Rules that look for literal keywords (forbidden_text, misnomer, required_content) would each
search the report once per keyword; most keywords (template placeholders, web-page residue,
misnamed regulations) occur in no report at all. The registry collects every check type's
literal keywords (a check module's ``literals(rule)``) into one RE2 set; per report, one
linear scan of the document's texts (title, headings and body, joined by newlines) tells
which occur, and the rules search only for those.

A keyword has no whitespace in the matching view, so wherever it occurs in a scope's texts it
occurs in the document's joined texts too: an absent keyword is absent from every scope.

The same set holds the regexes that rules run over exactly that text (scope ``document``
with headings; a check module's ``document_regexes(rule)``): the scan that finds the
keywords also tells which of those patterns match, instead of one more scan of the document
per rule. Regexes over other scopes keep their own set (``Regexes.screen``): a pattern that
spans a newline may match a scope's joined texts and not the document's.
"""

from __future__ import annotations

from typing import NamedTuple


class Hits(NamedTuple):
    words: frozenset[str]                 # the keywords that occur
    regexes: dict[int, tuple[int, ...]]   # id(Regexes) -> indices of its patterns that match


class Screen:
    def __init__(self, words: list[str], regexes: list = ()):
        import re2

        options = re2.Options()
        options.log_errors = False
        self.words = words
        self.known = frozenset(words)
        self._regexes = {id(rx): rx for rx in regexes}     # kept alive: their ids are keys
        self._owners: list[tuple[int, int]] = []          # set index - len(words) -> (id, index)
        self._set = re2.Set.SearchSet(options)
        for word in words:
            self._set.Add(re2.escape(word))
        for rx in self._regexes.values():
            for i, compiled in enumerate(rx):
                self._set.Add(compiled.pattern)
                self._owners.append((id(rx), i))
        self._set.Compile()

    def covers(self, regexes) -> bool:
        """Does the scan tell which of these patterns match the document's texts?"""
        return id(regexes) in self._regexes

    def scan(self, data: bytes) -> Hits:
        """What occurs in ``data`` (UTF-8: the document's joined texts, with headings)."""
        n = len(self.words)
        words, regexes = [], {}
        for i in sorted(self._set.Match(data) or ()):
            if i < n:
                words.append(self.words[i])
            else:
                key, index = self._owners[i - n]
                regexes[key] = regexes.get(key, ()) + (index,)
        return Hits(frozenset(words), regexes)
