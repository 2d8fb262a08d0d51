"""What each reader costs per file: the seeds in every format, read and linted, medians.

    python bench/readers.py [--repeat 15]

For each format the five seeds are built as in tests/test_formats.py (plus the LibreOffice
files in tests/data/libreoffice/), then timed in this process, interleaved, `--repeat`
times: `read` is bytes -> Source (the reader alone), `lint` the whole pipeline after it.
`import` is the cold cost of the reader's first use: a fresh interpreter importing the
reader module (and its libraries) minus one importing only checker.sources, median of 5.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checker import sources  # noqa: E402
from checker.engine.registry import load_registry  # noqa: E402
from checker.lint import lint_source  # noqa: E402

from builders.docx import build_docx  # noqa: E402
from builders.html import build_html  # noqa: E402
from builders.pdf import build_pdf  # noqa: E402

SEEDS = [p for p in sorted((ROOT / "seeds").glob("*.txt")) if "_gk_" not in p.name]   # the five 法治 reports
LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"

FORMATS = {
    "txt (utf-8)": (".txt", lambda t, s: t.encode("utf-8")),
    "txt (gb18030)": (".txt", lambda t, s: t.encode("gb18030")),
    "docx (python-docx builder)": (".docx", lambda t, s: build_docx(t)),
    "docx (LibreOffice)": (".docx", lambda t, s: (LIBREOFFICE / f"{s.stem}.docx").read_bytes()),
    "pdf (reportlab, GB/T 9704 layout)": (".pdf", lambda t, s: build_pdf(t)),
    "pdf (LibreOffice)": (".pdf", lambda t, s: (LIBREOFFICE / f"{s.stem}.pdf").read_bytes()),
    "html (modern page)": (".html", lambda t, s: build_html(t)),
    "html (GBK table page)": (".html", lambda t, s: build_html(t, template="table")),
}
MODULES = {".txt": "checker.sources.text", ".docx": "checker.sources.docx",
           ".pdf": "checker.sources.pdf", ".html": "checker.sources.html"}


def cold_import(module: str, repeat: int = 5) -> float:
    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        return time.perf_counter() - start

    base, full = [], []
    for _ in range(repeat):
        base.append(once("import checker.sources"))
        full.append(once(f"import checker.sources, {module}"))
    return (statistics.median(full) - statistics.median(base)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    registry = load_registry()
    files = {name: [(f"{s.stem}{suffix}", build(s.read_text(encoding="utf-8"), s)) for s in SEEDS]
             for name, (suffix, build) in FORMATS.items()}
    read_ms: dict[str, list[float]] = {name: [] for name in FORMATS}
    lint_ms: dict[str, list[float]] = {name: [] for name in FORMATS}
    for items in files.values():   # warm up: imports, caches
        for display, data in items:
            lint_source(sources.read_bytes(data, display), registry)
    for _ in range(args.repeat):
        for name, items in files.items():
            for display, data in items:
                t0 = time.perf_counter()
                source = sources.read_bytes(data, display)
                t1 = time.perf_counter()
                lint_source(source, registry)
                t2 = time.perf_counter()
                read_ms[name].append((t1 - t0) * 1000)
                lint_ms[name].append((t2 - t1) * 1000)
    print(f"{len(SEEDS)} seeds per format, {args.repeat} interleaved runs; medians per file (ms)\n")
    print("| format | size (KiB, median) | read | lint after reading | cold import of the reader |")
    print("|---|---|---|---|---|")
    imports = {suffix: cold_import(module) for suffix, module in MODULES.items()}
    for name, (suffix, _) in FORMATS.items():
        size = statistics.median(len(d) for _, d in files[name]) / 1024
        print(f"| {name} | {size:.1f} | {statistics.median(read_ms[name]):.2f} | "
              f"{statistics.median(lint_ms[name]):.2f} | {imports[suffix]:.0f} |")


if __name__ == "__main__":
    main()
