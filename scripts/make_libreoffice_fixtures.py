"""Make the real LibreOffice files in tests/data/libreoffice/ (needs `soffice` on PATH).

For each seed, tests/builders/docx.py writes a .docx with Word automatic numbering; LibreOffice
then saves it again as .docx (its own numbering.xml, styles and package layout) and exports
it as PDF (its own layout, line breaking and embedded font subsets). Those two files are what
a real office suite produces, so tests/test_formats.py reads them beside the synthetic ones.

    python scripts/make_libreoffice_fixtures.py      # Debian: apt-get install libreoffice-writer-nogui fonts-wqy-zenhei
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from builders.docx import build_docx  # noqa: E402

OUT = ROOT / "tests" / "data" / "libreoffice"


def soffice(args: list[str], profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args],
                   check=True, capture_output=True, timeout=300)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        profile, built, saved = tmp / "profile", tmp / "built", tmp / "saved"
        built.mkdir()
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            if "_gk_" in seed.name:         # the 法治 reports only (tests/test_formats.py compares them)
                continue
            (built / f"{seed.stem}.docx").write_bytes(build_docx(seed.read_text(encoding="utf-8")))
        docs = sorted(str(p) for p in built.glob("*.docx"))
        soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), *docs], profile)
        saved_docs = sorted(str(p) for p in saved.glob("*.docx"))
        soffice(["--convert-to", "pdf", "--outdir", str(saved), *saved_docs], profile)
        for f in sorted(saved.iterdir()):
            shutil.copy(f, OUT / f.name)
            print(f"{OUT / f.name}  {f.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
