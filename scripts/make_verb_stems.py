"""Rebuild src/rapporteur/analysis/verb_stems.txt: verb base forms mined from the UN General Debate Corpus.

    python scripts/make_verb_stems.py [../shared/data/ungdc/UNGDC_1946-2024.tar.xz]

A word is kept when it follows a modal, "to", "not", "also", "us" or "let" at least 15 times in the
corpus and in at least a quarter of its occurrences (so "address" and "alleviate" are kept, and
"migrants", "peace" or the noun-or-verb "change" are not). ``analysis.verbs`` adds a short list of
its own for common noun-or-verb words. Corpus: Jankin, Baturo, Dasandi (JPR) and Baturo, Dasandi,
Mikhaylov (R&P 2017), Harvard Dataverse doi:10.7910/DVN/0TJX8Y, CC0.
"""
from __future__ import annotations

import collections
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2024.tar.xz"
OUT = ROOT / "src" / "rapporteur" / "analysis" / "verb_stems.txt"
AFTER = re.compile(r"\b(?:must|should|will|would|can|cannot|could|may|might|shall|to|not|also|us|let)\s+([a-z]+)\b")
WORD = re.compile(r"\b[a-z]+\b")


def main() -> int:
    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else ARCHIVE
    after, total = collections.Counter(), collections.Counter()
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt"):
                text = tar.extractfile(member).read().decode("utf-8", "replace").lower()
                total.update(WORD.findall(text))
                after.update(AFTER.findall(text))
    stems = sorted(w for w in after if len(w) > 2 and after[w] >= 15 and after[w] / total[w] >= 0.25)
    OUT.write_text("# verb base forms mined from the UN General Debate Corpus by scripts/make_verb_stems.py\n"
                   + "\n".join(stems) + "\n", encoding="utf-8")
    print(f"{len(stems)} stems -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
