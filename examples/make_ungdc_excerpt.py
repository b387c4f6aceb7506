"""Rebuild examples/ungdc-2017-migration from the UN General Debate Corpus archive.

Keeps, for each State that spoke on migration in the 2017 general debate (session 72), the
paragraphs (whole lines, verbatim) that mention migration, migrants, refugees, displacement,
asylum, diasporas, remittances, trafficking, smuggling or xenophobia, in the corpus's own layout.

    python examples/make_ungdc_excerpt.py ../shared/data/ungdc/UNGDC_1946-2024.tar.xz
"""
from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

TERMS = re.compile(
    r"\b(?:\w*migra\w*|refugee\w*|displace\w*|asylum|diaspora\w*|remittance\w*|traffick\w*|smuggl\w*|xenophob\w*)",
    re.IGNORECASE,
)
SESSION = "Session 72 - 2017"


def main(archive: str, out: str = "examples/ungdc-2017-migration") -> None:
    target = Path(out) / "TXT" / SESSION
    target.mkdir(parents=True, exist_ok=True)
    kept = 0
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            if not (member.isfile() and f"/{SESSION}/" in member.name and member.name.endswith(".txt")):
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            paragraphs = [line for line in text.splitlines() if TERMS.search(line)]
            if paragraphs:
                (target / Path(member.name).name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
                kept += 1
    print(f"{kept} speeches with migration passages written to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:])
