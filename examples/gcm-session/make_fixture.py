"""Rebuild examples/gcm-session: a thematic session of the GCM consultation, shaped like a real one.

States speak in real passages of the UN General Debate Corpus (CC0; 2017–2018, whole lines,
verbatim), given the front matter a statement carries in a session (a letterhead and "Check against
delivery" on Jordan's PDF, headings in Italy's DOCX, the salutation and thanks). The non-State
contributions, in ``contributions/`` beside them, were written for this fixture in the manner of real
submissions and are left as they are; meta.csv says which is which.

    python examples/gcm-session/make_fixture.py ../shared/data/ungdc/UNGDC_1946-2024.tar.xz
"""
from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).parent
# file name -> (ISO3, year, the speech's lines kept (0-based, non-blank lines), format)
STATES = {
    "hungary": ("HUN", 2018, [0, 3, 5, 6, 7, 8, 13], "txt"),
    "italy": ("ITA", 2017, [5, 6, 7, 8], "docx"),
    "united-states": ("USA", 2018, [30, 31, 32], "txt"),
    "jordan": ("JOR", 2017, [8, 14], "pdf"),
    "bangladesh": ("BGD", 2017, [4, 6], "txt"),
    "mexico": ("MEX", 2018, [5], "txt"),
    "el-salvador": ("SLV", 2017, [9, 10, 11], "txt"),
    "philippines": ("PHL", 2018, [8], "txt"),
    "morocco": ("MAR", 2018, [15], "txt"),
    "nepal": ("NPL", 2018, [20], "txt"),
    "uganda": ("UGA", 2018, [21, 22], "txt"),
    "ecuador": ("ECU", 2018, [27, 29], "md"),
    "france": ("FRA", 2017, [13, 14], "txt"),
    "nigeria": ("NGA", 2018, [11], "txt"),
}
SESSION = {2017: "Session 72 - 2017", 2018: "Session 73 - 2018"}


def passages(tar: tarfile.TarFile, iso3: str, year: int, keep: list[int]) -> list[str]:
    """The kept lines, a line cut mid-sentence joined to the next (the corpus breaks at page ends)."""
    name = next(m.name for m in tar if m.name.endswith(f"{SESSION[year]}/{iso3}_{SESSION[year][8:10]}_{year}.txt"))
    lines = [line.strip() for line in tar.extractfile(name).read().decode("utf-8").splitlines() if line.strip()]
    out: list[str] = []
    for k in keep:
        text = re.sub(r"\s{2,}", " ", lines[k])
        if out and k - 1 in keep and not re.search(r"[.!?\"”]$", out[-1]):
            out[-1] += " " + text
        else:
            out.append(text)
    return out


def write_txt(path: Path, paragraphs: list[str], head: list[str] = (), tail: list[str] = ()) -> None:
    path.write_text("\n\n".join([*head, *paragraphs, *tail]) + "\n", encoding="utf-8")


def write_docx(path: Path, title: str, sections: list[tuple[str, list[str]]]) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.core_properties.author = "rapporteur fixture"
    document.save(path)


def write_pdf(path: Path, letterhead: list[str], paragraphs: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    family = "Body"
    pdf.add_font(family, fname=str(font)) if font.exists() else None
    pdf.set_font(family if font.exists() else "Helvetica", size=10)
    for line in letterhead:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(6)
    pdf.cell(0, 5, "Check against delivery", new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(4)
    pdf.set_font_size(11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_creation_date(__import__("datetime").datetime(2017, 6, 1, tzinfo=__import__("datetime").timezone.utc))
    pdf.output(str(path))


def main(archive: str) -> None:
    out = HERE / "contributions"
    out.mkdir(exist_ok=True)
    with tarfile.open(archive, "r:*") as tar:
        members = tar.getmembers()
        for name, (iso3, year, keep, kind) in STATES.items():
            tar.members = members
            text = passages(tar, iso3, year, keep)
            if kind == "pdf":
                write_pdf(out / f"{name}.pdf", ["PERMANENT MISSION OF THE HASHEMITE KINGDOM OF JORDAN",
                                                "TO THE UNITED NATIONS", "866 Second Avenue, New York, NY 10017"],
                          ["Thank you, Mr. President, for giving me the floor.", *text])
            elif kind == "docx":
                write_docx(out / f"{name}.docx", "Statement by Italy",
                           [("Shared responsibility", text[:2]), ("Partnership with countries of origin", text[2:])])
            elif kind == "md":
                write_txt(out / f"{name}.md", text, head=["# Statement by Ecuador"])
            else:
                write_txt(out / f"{name}.txt", text, head=["Mr. Co-Facilitator,"], tail=["I thank you."])
    print(f"{len(STATES)} State contributions written to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
