"""What a rule pack declares, as data: a report kind (its section kinds and their recognition
evidence, order, phrases, matrix columns, code prefix, deadline, legend, signal words) and its
rules. Built by checker/engine/loader.py from the YAML; held by checker/engine/registry.py.
"""

from __future__ import annotations

from checker.diagnostics import Severity
from checker.engine.checks import CHECK_TYPES
from checker.engine.errors import PackError  # noqa: F401  (importers take it from here)
from checker.record import Factory as _Factory
from checker.record import Record as _Record


class SectionKind(_Record, frozen=True):
    kind: str
    label: str
    any: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    suggest: str = ""      # words a heading could use to name the kind (in hints to authors)


class Cue(_Record, frozen=True):
    """One piece of evidence for a section kind (recognition in the pack): the text (the
    heading, or the section's body) names a word of ``any`` (each distinct word counts, up
    to ``max``), or a word of every group of ``all``; with ``year: next``, only when the same
    text also names the year after the reported one (a cue of ``year`` alone: when it does).
    Worth ``weight`` points per count; a negative weight is evidence against the kind."""

    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    year: str | None = None
    weight: int = 1
    max: int = 1


class KindEvidence(_Record, frozen=True):
    kind: str
    heading: tuple[Cue, ...] = ()
    body: tuple[Cue, ...] = ()


class Recognition(_Record, frozen=True):
    """How a top-level section whose heading names none of the kinds' keywords is recognised:
    by the evidence of its heading words, its body and its position in ``section_order``.
    A kind is taken when its score reaches ``threshold`` and beats every other kind's by
    ``margin``."""

    threshold: int
    margin: int
    position: int                  # points for sitting where a still-missing kind belongs
    next_year: tuple[str, ...]     # words meaning "the year after the reported one"
    kinds: tuple[KindEvidence, ...]
    tests: tuple = ()


class Condition(_Record, frozen=True, uncompared=("source",)):
    """When a rule applies, from the report's title (which names the issuer: 平安县人民政府 or
    平安县财政局): the title holds a word of ``title_any`` or matches a pattern of
    ``title_regex`` (RE2, on the title's normalised view). A rule's ``when`` must hold and
    its ``when_not`` must not; a report without a title meets neither, so a rule with a
    condition does not run on it (its issuer is unknown)."""

    title_any: tuple[str, ...] = ()
    title_regex: tuple = ()          # compiled RE2 patterns
    source: dict = _Factory(dict)   # as written, for the docs (not compared)

    def holds(self, title: str) -> bool:
        return any(map(title.__contains__, self.title_any)) or any(r.search(title) for r in self.title_regex)


class Rule(_Record):
    id: str
    name: str
    title: str             # a short Chinese title for people (the chart, `fzlint rules`, explain)
    severity: Severity
    check: str
    options: dict          # validated and prepared (compiled) options
    raw_options: dict      # as written in the pack, for configuration overrides
    citation: dict
    message: str
    rationale: str
    tests: list
    pack: str
    path: str
    line: int
    when: Condition | None = None        # the rule runs only on reports meeting this
    when_not: Condition | None = None    # ... and not meeting this

    @property
    def conditional(self) -> bool:
        return self.when is not None or self.when_not is not None

    def applies(self, title: str | None) -> bool:
        """Whether the rule runs on a report with this title (see :class:`Condition`)."""
        if not self.conditional:
            return True
        if title is None:
            return False
        return (self.when is None or self.when.holds(title)) and \
            (self.when_not is None or not self.when_not.holds(title))

    @property
    def module(self):
        return CHECK_TYPES[self.check]

    @property
    def citation_text(self) -> str:
        c = self.citation
        if "practice" in c:
            return f"实务要求：{c['practice']}"
        return f"{c['source']}{c['article']}"


class MatrixColumn(_Record, frozen=True):
    """One column of the reviewers' compliance matrix: a mandated item and the rules that,
    when any of them fires, mean the report fails that item."""

    label: str
    rules: tuple[str, ...]


class InitLine(_Record, frozen=True):
    """A line of the skeleton `fzlint init` writes: fixed ``text`` (may be empty), then a gap
    the author fills (``fill``: what belongs there, shown in the pack's ``placeholder``); or a
    sub-heading (``heading``, numbered （一）（二）… within its part); or a table (``table``: its
    rows, each a tuple of cell texts, blank cells for the figures). ``{org}``, ``{year}`` and
    ``{next_year}`` in the texts are filled in."""

    text: str = ""
    fill: str | None = None
    heading: str | None = None
    table: tuple[tuple[str, ...], ...] | None = None


class InitPart(_Record, frozen=True):
    kind: str
    heading: str                       # the part's heading, without its number (一、)
    body: tuple[InitLine, ...]


class Init(_Record, frozen=True):
    """The skeleton of a new report of this kind (``init:`` in the pack; checker/scaffold.py):
    the title, the opening, the parts in ``section_order`` (each with its standard heading and
    lines saying what belongs there), the closing, the signature and the date (``date``:
    MM-DD of the year after the reported one)."""

    title: str
    placeholder: str                   # a gap to fill: "【请填写：{hint}】" (FZ502 flags 请填写)
    date: str | None = None            # None: the day before the pack's deadline
    signature: str = "{org}"
    opening: tuple[InitLine, ...] = ()
    parts: tuple[InitPart, ...] = ()
    closing: tuple[InitLine, ...] = ()


# eq=False: compared by identity, as caches elsewhere are keyed by the pack object
class Pack(_Record, eq=False, hidden=("kind_memo", "heading_memo")):
    name: str
    path: str
    title: str
    applies_to_all: bool
    default: bool
    detect: tuple[str, ...]
    section_kinds: list[SectionKind]
    section_order: list[str]
    phrases: dict
    rules: list[Rule] = _Factory(list)
    matrix: list[MatrixColumn] = _Factory(list)
    recognition: Recognition | None = None
    # the report kind, for the places that speak of it (reporters, checks): rule ids are
    # code_prefix + 3 digits; legend: what the matrix columns are (e.g. 第二十五条规定的内容);
    # deadline: MM-DD after the reported year by which the report is due; signals: words
    # reports of this kind use (not_a_report)
    code_prefix: str = "FZ"
    legend: str = ""
    deadline: str | None = None
    signals: tuple[str, ...] = ()
    init: Init | None = None       # the skeleton of a new report (`fzlint init`); None: made up
    # headers of this kind's tables written one cell a line: ((text, row, column, span, within)
    # each, figures) each; checker/skeleton/tables.py TextLayouts reads them
    text_tables: tuple = ()
    digest: str = ""      # sha256 of the pack file's bytes (the result cache's key: resultcache.py)
    # what recognize.py works out once per pack for every report (heading text -> kind): a
    # field, not a dict keyed by the pack, as it is asked for every heading line of a report
    kind_memo: dict = _Factory(dict)
    heading_memo: dict = _Factory(dict)

    @property
    def kind_names(self) -> list[str]:
        return [k.kind for k in self.section_kinds]

    def kind(self, name: str) -> SectionKind:
        return next(k for k in self.section_kinds if k.kind == name)
