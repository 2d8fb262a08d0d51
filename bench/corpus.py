"""Generate a deterministic corpus of realistic reports from the seed reports.

Each generated report starts from one of the seeds (seeds/*.txt) and is varied the way real
reports differ from each other once they have gone through Word, PDF and copy-paste:

- 0-2 top-level sections (an "一、..." heading up to the next one) are dropped, and the
  sections are sometimes reordered; the top-level numbers are then rewritten in order;
- the numbering style is changed: （一） or (一), "1." or "1、";
- body paragraphs are repeated or removed to reach a target size (2 KB to 60 KB, median
  about 12 KB, drawn from a log-normal distribution);
- some reports get Markdown '#' marks on their headings (those are written as .md);
- some get PDF page-break residue: lone page-number lines ("- 3 -") and paragraphs split
  mid-sentence by a blank line.

Report i depends only on (seed, i), so a corpus of 200 files is the first 200 files of a
corpus of 2000. Usage::

    python bench/corpus.py --files 2000 --out bench/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 2
BENCH_DIR = Path(__file__).resolve().parent
SEEDS_DIR = BENCH_DIR.parent / "seeds"
DEFAULT_OUT = BENCH_DIR / "corpus"
MANIFEST = ".manifest.json"  # dot file: fzlint skips it when walking the folder

MIN_BYTES, MEDIAN_BYTES, MAX_BYTES = 2 * 1024, 12 * 1024, 60 * 1024
SIZE_SIGMA = 0.85  # spread of the log-normal size distribution: mean ~18 KiB, ~36 MB per 2,000

CN_NUMS = "一二三四五六七八九十"
# Heading prefixes, with any Markdown marks and indentation before them kept in group 1.
H1_RE = re.compile(r"^(\s*#*\s*)([一二三四五六七八九十]+)、")
H2_RE = re.compile(r"^(\s*#*\s*)[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*")
H3_RE = re.compile(r"^(\s*#*\s*)(\d{1,2})\s*[.、．]\s*(?!\d)")
DATE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def cn_num(n: int) -> str:
    """1..99 as a Chinese numeral (一, 十, 十一, 二十三)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_NUMS[ones - 1]
    head = "" if tens == 1 else CN_NUMS[tens - 1]
    return head + "十" + (CN_NUMS[ones - 1] if ones else "")


def is_heading(line: str) -> bool:
    return bool(H1_RE.match(line) or H2_RE.match(line) or H3_RE.match(line))


@dataclass
class Seed:
    """A seed report split into preamble, top-level sections and closing (lists of lines)."""

    name: str
    preamble: list[str]
    sections: list[list[str]]
    closing: list[str]
    blank_between: bool  # paragraphs separated by blank lines in the original


def _is_closing_line(line: str) -> bool:
    s = line.strip()
    if s.startswith("特此报告") or DATE_RE.match(s):
        return True
    # signature lines: short, no sentence punctuation, not a numbered heading
    return len(s) <= 40 and "。" not in s and "，" not in s and not is_heading(s)


def split_seed(path: Path) -> Seed:
    raw = path.read_text(encoding="utf-8").splitlines()
    lines = [ln.rstrip() for ln in raw if ln.strip()]
    blank_between = sum(1 for ln in raw if not ln.strip()) > len(lines) // 2

    closing: list[str] = []
    while lines and _is_closing_line(lines[-1]) and not H1_RE.match(lines[-1]):
        closing.insert(0, lines.pop())

    preamble: list[str] = []
    sections: list[list[str]] = []
    for line in lines:
        if H1_RE.match(line):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            preamble.append(line)
    return Seed(path.stem, preamble, sections, closing, blank_between)


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> list[Seed]:
    # the 法治 reports: seeds/*_gk_* are 政府信息公开 samples, another kind
    seeds = [split_seed(p) for p in sorted(seeds_dir.glob("*.txt")) if "_gk_" not in p.name]
    if not seeds:
        raise SystemExit(f"no seed reports in {seeds_dir}")
    return seeds


@dataclass
class Draft:
    preamble: list[str]
    sections: list[list[str]]
    closing: list[str]
    sep: str
    notes: list[str] = field(default_factory=list)

    def size(self) -> int:
        lines = self.preamble + [ln for s in self.sections for ln in s] + self.closing
        return sum(len(ln.encode("utf-8")) for ln in lines) + len(self.sep) * len(lines)


# --- the variations -----------------------------------------------------------------------

def drop_and_reorder(d: Draft, rng: random.Random) -> None:
    n_drop = rng.choices([0, 1, 2], weights=[5, 3, 2])[0]
    n_drop = min(n_drop, len(d.sections) - 2)
    for _ in range(max(n_drop, 0)):
        d.sections.pop(rng.randrange(len(d.sections)))
    if n_drop > 0:
        d.notes.append(f"dropped {n_drop}")
    if len(d.sections) >= 2 and rng.random() < 0.2:
        i = rng.randrange(len(d.sections) - 1)
        d.sections[i], d.sections[i + 1] = d.sections[i + 1], d.sections[i]
        d.notes.append("reordered")
    # rewrite the top-level numbers in their new order, as an author would
    for n, section in enumerate(d.sections, 1):
        section[0] = H1_RE.sub(lambda m: f"{m.group(1)}{cn_num(n)}、", section[0], count=1)


_CLAUSE_SPLIT = re.compile(r"[，。；！？]")


def clause_pool(seeds: list[Seed]) -> list[str]:
    """Clauses (between ，。；) of the seeds' body paragraphs, to write new paragraphs from."""
    pool = []
    for seed in seeds:
        for section in seed.sections:
            for line in section[1:]:
                if not is_heading(line):
                    pool += [c.strip() for c in _CLAUSE_SPLIT.split(line) if 6 <= len(c.strip()) <= 40]
    return pool


_POOLS: dict[tuple[str, ...], list[str]] = {}


def _pool(seeds: list[Seed]) -> list[str]:
    key = tuple(s.name for s in seeds)
    if key not in _POOLS:
        _POOLS[key] = clause_pool(seeds)
    return _POOLS[key]


def new_paragraph(pool: list[str], rng: random.Random) -> str:
    """A paragraph of 2-5 sentences of 2-4 clauses drawn from the pool: report-like prose
    that is not a verbatim copy (a copy would make every padded report a duplicate-sentence
    case, which real reports are not)."""
    sentences = ["，".join(rng.sample(pool, rng.randint(2, 4))) + "。" for _ in range(rng.randint(2, 5))]
    return "　　" * rng.randint(0, 1) + "".join(sentences)


def resize(d: Draft, target: int, rng: random.Random, pool: list[str] | None = None) -> None:
    """Add new paragraphs (or remove body paragraphs; never headings) until the size is near
    target."""
    body = [(si, ln) for si, s in enumerate(d.sections) for ln in s[1:] if not is_heading(ln)]
    if not body:
        return
    size = d.size()
    sep = len(d.sep)
    added = []
    while size < target:
        si, line = rng.choice(body)
        if pool:
            line = new_paragraph(pool, rng)
        section = d.sections[si]
        section.insert(rng.randint(1, len(section)), line)  # anywhere after the heading
        added.append((si, line))
        size += len(line.encode("utf-8")) + sep
    body += added
    rng.shuffle(body)
    for si, line in body:  # remove paragraphs while over target, never below MIN_BYTES
        if size <= target:
            break
        cost = len(line.encode("utf-8")) + sep
        if size - cost >= MIN_BYTES:
            d.sections[si].remove(line)
            size -= cost


def restyle_numbering(d: Draft, rng: random.Random) -> None:
    h2 = rng.choice(["keep", "full", "full", "half"])
    h3 = rng.choice(["keep", "dot", "dun"])
    d.notes.append(f"h2={h2} h3={h3}")
    for section in d.sections:
        for i, line in enumerate(section):
            if h2 != "keep" and H2_RE.match(line):
                fmt = "（{}）" if h2 == "full" else "({})"
                section[i] = H2_RE.sub(lambda m: m.group(1) + fmt.format(m.group(2)), line, count=1)
            elif h3 != "keep" and H3_RE.match(line):
                mark = "." if h3 == "dot" else "、"
                section[i] = H3_RE.sub(lambda m: m.group(1) + m.group(2) + mark, line, count=1)


def add_markdown(d: Draft) -> None:
    def mark(line: str, hashes: str) -> str:
        return line if line.lstrip().startswith("#") else f"{hashes} {line.strip()}"

    for section in d.sections:
        section[0] = mark(section[0], "##")
        for i in range(1, len(section)):
            if H2_RE.match(section[i]):
                section[i] = mark(section[i], "###")
    # the title: the first preamble line that mentions the report
    for i, line in enumerate(d.preamble):
        if "报告" in line and len(line.strip()) < 60:
            d.preamble[i] = mark(line, "#")
            break
    d.notes.append("markdown")


def add_page_breaks(lines: list[str], rng: random.Random) -> list[str]:
    """Insert page-number lines every page or so and split some paragraphs mid-sentence."""
    out: list[str] = []
    page, page_len, used = 1, rng.randint(700, 1000), 0
    dash = rng.choice(["-", "-", "—"])
    for line in lines:
        used += len(line)
        if used < page_len or not line.strip():
            out.append(line)
            continue
        used, page = 0, page + 1
        if len(line) > 60 and not is_heading(line) and rng.random() < 0.6:
            k = rng.randint(10, len(line) - 10)
            out += [line[:k], "", f"{dash} {page - 1} {dash}", "", line[k:]]
        else:
            out += [line, "", f"{dash} {page - 1} {dash}"]
    # plus the odd sentence broken by a blank line with no page number
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(out))
        if len(out[i]) > 60 and not is_heading(out[i]):
            k = rng.randint(10, len(out[i]) - 10)
            out[i:i + 1] = [out[i][:k], "", out[i][k:]]
    return out


def target_size(rng: random.Random) -> int:
    size = rng.lognormvariate(math.log(MEDIAN_BYTES), SIZE_SIGMA)
    return int(min(max(size, MIN_BYTES), MAX_BYTES))


def make_report(seeds: list[Seed], seed: int, index: int) -> tuple[str, str, list[str]]:
    """(file name, text, notes) of report ``index``; depends only on (seed, index)."""
    rng = random.Random(f"fzlint-bench:{seed}:{index}")
    s = rng.choice(seeds)
    d = Draft(list(s.preamble), [list(sec) for sec in s.sections], list(s.closing),
              "\n\n" if s.blank_between else "\n")
    drop_and_reorder(d, rng)
    resize(d, target_size(rng), rng, _pool(seeds))
    restyle_numbering(d, rng)
    markdown = rng.random() < 0.15
    if markdown:
        add_markdown(d)

    lines = d.preamble + [ln for sec in d.sections for ln in sec] + d.closing
    if rng.random() < 0.5:
        lines = add_page_breaks(lines, rng)
        d.notes.append("page breaks")
    text = d.sep.join(lines) + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)  # page-break blanks next to blank separators
    name = f"r{index:05d}_{s.name[:3]}{'.md' if markdown else '.txt'}"
    return name, text, [s.name] + d.notes


# --- writing a corpus folder --------------------------------------------------------------

def _seeds_digest(seeds_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(seeds_dir.glob("*.txt")):
        if "_gk_" in p.name:
            continue
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def corpus_files(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.suffix in (".txt", ".md") and p.is_file())


def ensure_corpus(out: Path = DEFAULT_OUT, files: int = 2000, seed: int = 1,
                  seeds_dir: Path = SEEDS_DIR) -> tuple[list[Path], bool]:
    """Make ``out`` hold exactly the corpus for (files, seed); return (files, regenerated)."""
    manifest = {"generator": GENERATOR_VERSION, "files": files, "seed": seed,
                "seeds": _seeds_digest(seeds_dir)}
    mpath = out / MANIFEST
    if mpath.is_file():
        try:
            if json.loads(mpath.read_text(encoding="utf-8")) == manifest:
                existing = corpus_files(out)
                if len(existing) == files:
                    return existing, False
        except ValueError:
            pass
    if out.exists() and any(out.iterdir()) and not mpath.is_file():
        raise SystemExit(f"{out} is not empty and was not made by bench/corpus.py; "
                         "choose another --corpus folder")
    out.mkdir(parents=True, exist_ok=True)
    for p in corpus_files(out):  # only our own .txt/.md files from an earlier corpus
        p.unlink()
    seeds = load_seeds(seeds_dir)
    for i in range(files):
        name, text, _ = make_report(seeds, seed, i)
        (out / name).write_text(text, encoding="utf-8")
    mpath.write_text(json.dumps(manifest), encoding="utf-8")
    return corpus_files(out), True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000, help="number of reports (default 2000)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="target folder (bench/corpus)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--show", type=int, metavar="I",
                    help="print report I to stdout with its variations instead of writing files")
    args = ap.parse_args()
    if args.show is not None:
        name, text, notes = make_report(load_seeds(), args.seed, args.show)
        print(f"# {name}: {', '.join(notes)}\n{text}", end="")
        return
    paths, made = ensure_corpus(args.out, args.files, args.seed)
    sizes = sorted(p.stat().st_size for p in paths)
    print(f"{'wrote' if made else 'kept'} {len(paths)} files in {args.out} "
          f"({sum(sizes) / 2**20:.1f} MiB; min {sizes[0] / 1024:.1f} KiB, "
          f"median {sizes[len(sizes) // 2] / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
