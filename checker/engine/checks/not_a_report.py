"""not_a_report: the file reads as text, but not as a report of any kind fzlint checks.

A novel, source code, a spreadsheet export or an English document would otherwise get every
"section missing" finding at once, which tells the user nothing. This check is a *gate*
(``GATE = True``): when it fires, the engine reports only it and skips the file's other
rules. It fires when Chinese characters are less than ``min_han_percent`` of the text's
non-space characters, or when fewer than ``min_signals`` of the pack's ``signals`` words
appear anywhere in the text and no heading names a section kind of the report's pack (a
draft that so far holds only "一、主要举措和成效" is a report). The signal words are the
rule's own (words every government report uses) plus the ``signals`` of the report's kind
pack (法治/依法/执法 for the 法治政府建设 kind): they live in the rule packs, not here.
"""

from __future__ import annotations

from checker.engine.context import Context, Finding
from checker.engine.schema import Opt

GATE = True
OPTIONS = {
    "signals": Opt("str_list", required=True, help="words that reports of the packs' kinds use"),
    "min_signals": Opt("int", default=3, help="how many different signal words must appear"),
    "min_han_percent": Opt("int", default=30, help="share of Chinese characters among non-space characters"),
}
PARAMS = ("reason",)

# Chinese characters: U+3400-U+9FFF and U+F900-U+FAFF, i.e. the UTF-16 code units whose high
# byte is one of these (counted with bytes.translate: a C loop, 4x faster than a regex).
_HAN_HIGH_BYTES = bytes(range(0x34, 0xA0)) + b"\xf9\xfa"
SAMPLE = 200_000       # characters searched for signal words: bounded for huge files
HAN_SAMPLE = 20_000    # characters whose script is counted: plenty to judge a share


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def han_count(text: str) -> int:
    """How many characters of ``text`` are Chinese (CJK unified ideographs of the BMP)."""
    high = text.encode("utf-16-be", "surrogatepass")[0::2]   # astral: two non-Chinese units
    return len(high) - len(high.translate(None, _HAN_HIGH_BYTES))


def _signals(rule, pack) -> list[str]:
    """The rule's signal words, then the report kind's (first two of each kind's list shown in
    the message: 报告、政府、法治、依法)."""
    own = list(rule.options["signals"])
    kind = [w for w in (pack.signals if pack is not None else ()) if w not in own]
    return own[:2] + kind[:2] + own[2:] + kind[2:]


def check(rule, ctx: Context):
    opts = rule.options
    lines, count = ctx.report.lines, 256
    while True:     # the view (no whitespace) of enough lines for the sample, not of all of them
        text = "".join([line.text for line in lines[:count]])
        if len(text) >= SAMPLE or count >= len(lines):
            break
        count *= 4
    text = text[:SAMPLE]
    if not text:
        return
    sample = text[:HAN_SAMPLE]
    han = han_count(sample) * 100 // len(sample)
    if han < opts["min_han_percent"]:
        yield Finding(ctx.start_span(), {"reason": f"中文字符只占 {han}%"})
        return
    # A heading naming a section kind settles it (the usual report): no signal word is
    # searched for. Else the words are searched until enough are found (each absent word
    # costs a scan of the whole sample).
    if any(s.kind for s in ctx.report.walk()):
        return
    signals = _signals(rule, ctx.pack)
    wanted = opts["min_signals"]
    for word in signals:
        if wanted <= 0:
            return
        wanted -= word in text
    if wanted <= 0:
        return
    shown = "、".join(f"“{w}”" for w in signals[:4])
    yield Finding(ctx.start_span(), {"reason": f"几乎没有{shown}等报告用语"})

