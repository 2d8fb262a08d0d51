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

The set is split into several sets of at most :data:`SET_BYTES` of patterns (each scanned),
and a set RE2 refuses to compile is split again: a keyword or pattern that no set takes is not
screened (``known`` and :meth:`Screen.covers` leave it out), and the rules search for it
themselves. The screen never fails: every pack that loads can be checked with it.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

# Patterns per RE2 set, in UTF-8 bytes. The shipped packs' 58 keywords and 4 document-wide
# regexes make one set of ~1 KB. Within its default memory budget (8 MB) RE2 compiles a set of
# 500 forty-character Chinese keywords (60 KB) and refuses 1,000 of them, or 5,000 keywords of
# six characters (90 KB); sets a quarter of that size compile with a wide margin.
SET_BYTES = 16 * 1024


class Hits(NamedTuple):
    words: frozenset[str]                 # the keywords that occur
    regexes: dict[int, tuple[int, ...]]   # id(Regexes) -> indices of its patterns that match


class Screen:
    def __init__(self, words: list[str], regexes: list = ()):
        import re2

        self._re2 = re2
        self._options = re2.Options()
        self._options.log_errors = False
        self.words = words
        self._split: dict[tuple[str, ...], tuple[frozenset[str], tuple[str, ...]]] = {}
        self._regexes = {id(rx): rx for rx in regexes}     # kept alive: their ids are keys
        # each set with what its indices stand for: a keyword (str) or (id(Regexes), index)
        self._sets: list[tuple[object, list]] = []
        items = [(re2.escape(word), word) for word in words]
        items += [(compiled.pattern, (key, i)) for key, rx in self._regexes.items() for i, compiled in enumerate(rx)]
        chunk, size = [], 0
        for pattern, owner in items:
            n = len(pattern.encode("utf-8", "surrogatepass"))
            if chunk and size + n > SET_BYTES:
                self._compile(chunk)
                chunk, size = [], 0
            chunk.append((pattern, owner))
            size += n
        if chunk:
            self._compile(chunk)
        owners = [owner for _, taken, _ in self._sets for owner in taken]
        self.known = frozenset(o for o in owners if isinstance(o, str))
        screened = {o for o in owners if not isinstance(o, str)}
        self._covered = frozenset(key for key, rx in self._regexes.items()
                                  if all((key, i) in screened for i in range(len(rx))))

    def _compile(self, chunk: list) -> None:
        """One set of ``chunk``'s patterns; halves of it if RE2 refuses it whole (an item RE2
        refuses alone is left out)."""
        re2 = self._re2
        patterns = re2.Set.SearchSet(self._options)
        taken = []
        for pattern, owner in chunk:
            try:
                patterns.Add(pattern)
            except re2.error:
                continue
            taken.append(owner)
        try:
            patterns.Compile()
        except re2.error:
            if len(chunk) > 1:
                half = len(chunk) // 2
                self._compile(chunk[:half])
                self._compile(chunk[half:])
            return
        if taken:
            # the items keep their order (keywords first, then regexes' patterns): the
            # keywords of a set are the indices below its count of them
            self._sets.append((patterns, taken, sum(isinstance(owner, str) for owner in taken)))

    def split(self, words: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
        """(those of ``words`` the scan looks for, the others), once per tuple of words."""
        found = self._split.get(words)
        if found is None:
            if len(self._split) >= 4096:
                self._split.clear()
            found = self._split[words] = (frozenset(w for w in words if w in self.known),
                                          tuple(w for w in words if w not in self.known))
        return found

    def covers(self, regexes) -> bool:
        """Does the scan tell which of these patterns match the document's texts?"""
        return id(regexes) in self._covered

    def scan(self, data: bytes) -> Hits:
        """What occurs in ``data`` (UTF-8: the document's joined texts, with headings)."""
        words, regexes = [], {}
        for patterns, taken, keywords in self._sets:
            hits = sorted(patterns.Match(data) or ())
            split = bisect.bisect_left(hits, keywords)
            words += map(taken.__getitem__, hits[:split])     # the keywords found, in C
            for i in hits[split:]:
                key, index = taken[i]
                if key in self._covered:
                    regexes.setdefault(key, []).append(index)
        return Hits(frozenset(words), {key: tuple(sorted(found)) for key, found in regexes.items()})
