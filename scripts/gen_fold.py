"""Generate checker/_fold.py: the invisible characters the matching view drops and the
compatibility forms it folds, one character for one character.

* INVISIBLE: every Default_Ignorable_Code_Point of the Unicode Character Database (soft
  hyphen, zero-width and bidi controls, invisible operators, variation selectors, Hangul
  fillers, tag characters, the code points reserved for more of them ...), plus U+2800
  BRAILLE PATTERN BLANK, which renders as a blank but is a symbol, not ignorable. None of
  them is white space (str.split() already drops those).
* FOLD: a character and the one character it stands for:
  - the radicals and strokes with an Equivalent_Unified_Ideograph (⼀ U+2F00 -> 一,
    ⻓ U+2ED3 -> 长, ㇐ U+31D0 -> 一): PDF text layers often carry them for ordinary
    ideographs;
  - every other character whose NFKC form is one other character: CJK compatibility
    ideographs, full-width and half-width forms, vertical and small forms, font variants
    (ℂ, 𝟐) ... except number forms (Ⅰ, ①, ², ¼, ㆒: general category Nl or No, or a
    <circle>/<super>/<sub>/<fraction>/<square> decomposition), which are not the digits
    or letters they decompose to, and except characters that are, or fold to, white space
    or the Markdown "*" the view drops.
  The view applies its own half-width -> full-width punctuation and traditional ->
  simplified tables to the folded character (checker/skeleton/normalize.py), so ︵ and ﹙
  end as （ and ⾨ as 门.

Sources: the UCD files DerivedCoreProperties.txt and EquivalentUnifiedIdeograph.txt (Debian:
``apt-get install unicode-data``, in /usr/share/unicode; or ``--ucd DIR``), and NFKC from the
running Python's unicodedata. A developer tool, not a dependency of fzlint:

    python scripts/gen_fold.py > checker/_fold.py
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

BRAILLE_BLANK = 0x2800
NUMBER_FORMS = ("<circle>", "<super>", "<sub>", "<fraction>", "<square>")
DROPPED_ANYWAY = "*"     # the view drops Markdown emphasis marks; white space is checked apart


def ucd_ranges(path: Path, prop: str | None = None) -> list[tuple[int, int, str]]:
    """(first, last, value) of each ``first[..last] ; value`` line (only ``prop`` if given)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cps, value = (f.strip() for f in line.split(";")[:2])
        if prop is not None and value != prop:
            continue
        first, _, last = cps.partition("..")
        out.append((int(first, 16), int(last or first, 16), value))
    return out


def version(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]    # "# DerivedCoreProperties-15.0.0.txt"
    return first.rsplit("-", 1)[1].removesuffix(".txt")


def invisible(ucd: Path) -> set[int]:
    cps = {cp for a, b, _ in ucd_ranges(ucd / "DerivedCoreProperties.txt", "Default_Ignorable_Code_Point")
           for cp in range(a, b + 1)}
    cps.add(BRAILLE_BLANK)
    assert not any(chr(cp).isspace() for cp in cps)
    return cps


def folds(ucd: Path, drop: set[int]) -> dict[int, str]:
    equivalent = {cp: chr(int(v, 16)) for a, b, v in ucd_ranges(ucd / "EquivalentUnifiedIdeograph.txt")
                  for cp in range(a, b + 1)}
    out: dict[int, str] = {}
    for cp in range(0x80, 0x110000):
        ch = chr(cp)
        if cp in drop or ch.isspace() or 0xD800 <= cp <= 0xDFFF:
            continue
        nfkc = unicodedata.normalize("NFKC", ch)
        if cp in equivalent:
            target = equivalent[cp]
            assert nfkc in (ch, target), (hex(cp), nfkc, target)    # the two sources agree
        elif len(nfkc) == 1 and nfkc != ch:
            if unicodedata.category(ch) in ("Nl", "No") or unicodedata.decomposition(ch).startswith(NUMBER_FORMS):
                continue
            target = nfkc
        else:
            continue
        if target.isspace() or target in DROPPED_ANYWAY or ord(target) in drop:
            continue
        out[cp] = target
    return out


def ranges(cps: set[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return [(a, b) for a, b in out]


def esc(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def block_of(cp: int, blocks: list[tuple[int, int, str]]) -> str:
    return next((name for a, b, name in blocks if a <= cp <= b), "?")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ucd", type=Path, default=Path("/usr/share/unicode"), help="folder of the UCD files")
    ucd = ap.parse_args().ucd
    drop = invisible(ucd)
    fold = folds(ucd, drop)
    blocks = ucd_ranges(ucd / "Blocks.txt")
    w = sys.stdout.write
    w('"""Invisible characters and compatibility forms of the matching view (generated by\n'
      "scripts/gen_fold.py; see there for what is in each table and why).\n\n"
      f"Derived from the Unicode Character Database {version(ucd / 'DerivedCoreProperties.txt')} "
      "(DerivedCoreProperties.txt,\n"
      "EquivalentUnifiedIdeograph.txt; Unicode License v3, see _fold_LICENSE.txt beside this file)\n"
      f"and NFKC of Python's unicodedata {unicodedata.unidata_version}.\n\n"
      f"INVISIBLE: {len(drop)} code points in {len(ranges(drop))} ranges, INVISIBLE[2*i] to INVISIBLE[2*i+1].\n"
      f"FOLD: {len(fold)} pairs, FOLD[2*i] is a compatibility form, FOLD[2*i+1] its character.\n"
      '"""\n\n')
    w("INVISIBLE = (\n")
    for a, b in ranges(drop):
        w(f'    "{esc(a)}{esc(b)}"  # {block_of(a, blocks)}: {unicodedata.name(chr(a), "<reserved>")}'
          f'{" .. " + unicodedata.name(chr(b), "<reserved>") if b != a else ""}\n')
    w(")\n\nFOLD = (\n")
    current, line = None, ""
    for cp, target in sorted(fold.items()):
        block = block_of(cp, blocks)
        pair = esc(cp) + esc(ord(target))
        if block != current or len(line) + len(pair) > 108:
            if line:
                w(f'    "{line}"\n')
            if block != current:
                w(f"    # {block}\n")
            current, line = block, ""
        line += pair
    w(f'    "{line}"\n)\n')


if __name__ == "__main__":
    main()
