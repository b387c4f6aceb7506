"""Readers on real text: folders of documents with metadata, statements CSV, the UNGDC archive."""
from __future__ import annotations

import csv
import tarfile
from pathlib import Path

import pytest

from rapporteur.errors import InputError
from rapporteur.ingest import read_path
from rapporteur.ingest.documents import read_document
from rapporteur.model import StakeholderType

from .speeches import speech


def _pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    pdf.output(str(path))


def _docx(path: Path, paragraphs: list[str], bullets: list[str]) -> None:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    for b in bullets:
        document.add_paragraph(b, style="List Bullet")
    document.save(str(path))


@pytest.fixture
def statement_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "mexico.txt").write_text(speech("MEX"), encoding="utf-8")
    (folder / "germany.md").write_text(speech("DEU"), encoding="utf-8")
    _pdf(folder / "philippines.pdf", "We call on all States to protect migrant workers. " * 3)
    _docx(folder / "iom.docx", ["Migration is a fact of life."], ["Invest in data on migration.", "Expand regular pathways."])
    with open(tmp_path / "meta.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "stakeholder", "type", "country", "session", "date"])
        w.writerow(["mexico.txt", "Mexico", "Member State", "MEX", "TS3", "2017-06-19"])
        w.writerow(["germany.md", "Germany", "member state", "Germany", "TS3", "2017-06-19"])
        w.writerow(["philippines.pdf", "Philippines", "Member State", "PHL", "TS3", "2017-06-20"])
        w.writerow(["iom.docx", "IOM", "UN entity/IO", "", "TS3", "2017-06-20"])
    return folder


def test_folder_with_metadata_reads_every_format(statement_folder, tmp_path):
    corpus = read_path(statement_folder, meta=tmp_path / "meta.csv")
    by_name = {c.stakeholder.name: c for c in corpus.contributions}
    assert set(by_name) == {"Mexico", "Germany", "Philippines", "IOM"}
    assert corpus.problems == []
    assert by_name["Germany"].stakeholder.country == "DEU"
    assert by_name["Germany"].stakeholder.subregion == "Western Europe"
    assert by_name["Philippines"].stakeholder.region == "Asia"
    assert "protect migrant workers" in by_name["Philippines"].text
    assert by_name["IOM"].stakeholder.type is StakeholderType.UN_ENTITY
    assert by_name["IOM"].stakeholder.country is None
    assert "- Invest in data on migration." in by_name["IOM"].text
    assert by_name["Mexico"].text == speech("MEX")
    assert by_name["Mexico"].date == "2017-06-19" and by_name["Mexico"].session == "TS3"


def test_folder_without_metadata_uses_file_names(statement_folder):
    corpus = read_path(statement_folder)
    assert sorted(c.stakeholder.name for c in corpus.contributions) == ["germany", "iom", "mexico", "philippines"]


def test_document_missing_from_metadata_is_kept_and_reported(statement_folder, tmp_path):
    (statement_folder / "kenya.txt").write_text(speech("KEN"), encoding="utf-8")
    corpus = read_path(statement_folder, meta=tmp_path / "meta.csv")
    assert "kenya" in {c.stakeholder.name for c in corpus.contributions}
    (problem,) = corpus.problems
    assert problem.source.endswith("kenya.txt") and "no row in meta.csv" in problem.reason
    assert problem.skipped is False


def test_statements_csv(tmp_path):
    path = tmp_path / "statements.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["stakeholder", "type", "country", "session", "date", "text"])
        w.writerow(["Chile", "Member State", "CHL", "TS6", "2017-10-12", speech("CHL")])
        w.writerow(["ITUC", "trade union", "", "TS6", "2017-10-12", "Decent work for migrant workers, with or without papers."])
    corpus = read_path(path)
    assert [c.stakeholder.name for c in corpus.contributions] == ["Chile", "ITUC"]
    assert corpus.contributions[0].stakeholder.subregion == "Latin America and the Caribbean"
    assert corpus.contributions[1].stakeholder.type is StakeholderType.TRADE_UNION
    assert corpus.contributions[0].source == "statements.csv:2"


def test_ungdc_archive_one_year(ungdc_archive):
    corpus = read_path(ungdc_archive, year=2018)
    assert len(corpus.contributions) == 196
    usa = next(c for c in corpus.contributions if c.id == "USA_73_2018")
    assert usa.stakeholder.type is StakeholderType.MEMBER_STATE
    assert usa.stakeholder.subregion == "Northern America"
    assert "will not participate in the new global compact for migration" in usa.text
    holy_see = next(c for c in corpus.contributions if c.stakeholder.country == "VAT")
    assert holy_see.stakeholder.type is StakeholderType.OBSERVER_STATE
    eu = next(c for c in corpus.contributions if c.id.startswith("EU_"))
    assert eu.stakeholder.type is StakeholderType.REGIONAL_ORGANISATION


def test_ungdc_folder_and_tgz_read_alike(demo_dir, tmp_path):
    from_folder = read_path(demo_dir, session=72)
    archive = tmp_path / "excerpt.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(demo_dir / "TXT", arcname="TXT")
    from_archive = read_path(archive, year=2017)
    assert len(from_folder.contributions) == 154
    assert [(c.id, c.text) for c in from_folder.contributions] == [(c.id, c.text) for c in from_archive.contributions]


# --- bad input: one clear line naming the file (and line); the rest is kept -----------------------

def test_corrupt_pdf_is_reported_and_the_rest_kept(statement_folder, tmp_path):
    (statement_folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated")
    (statement_folder / "renamed.pdf").write_bytes(speech("KEN").encode())
    corpus = read_path(statement_folder, meta=tmp_path / "meta.csv")
    assert len(corpus.contributions) == 4
    reasons = {Path(p.source).name: p.reason for p in corpus.problems}
    assert "broken.pdf" in reasons and "PDF" in reasons["broken.pdf"]
    assert "not a PDF" in reasons["renamed.pdf"]


def test_non_utf8_text_names_file_line_and_byte(statement_folder):
    latin = "Migrants contribute.\nLes migrants contribuent à la société.\n".encode("cp1252")
    (statement_folder / "france.txt").write_bytes(latin)
    corpus = read_path(statement_folder)
    problem = next(p for p in corpus.problems if p.source.endswith("france.txt"))
    assert problem.line == 2 and "0xe0" in problem.reason and "--encoding" in problem.reason
    assert len(corpus.contributions) == 4
    fixed = read_path(statement_folder / "france.txt", encoding="cp1252")
    assert "à la société" in fixed.contributions[0].text


def test_csv_missing_column(tmp_path):
    path = tmp_path / "statements.csv"
    path.write_text("stakeholder,country\nChile,CHL\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_path(path)
    assert str(error.value) == f"{path}:1: missing column text (found: stakeholder, country)"


def test_malformed_csv_row_names_line(tmp_path):
    path = tmp_path / "statements.csv"
    path.write_text('stakeholder,text\nChile,"fine"\nPeru,"unterminated\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"statements.csv:3"):
        read_path(path)


def test_unknown_country_is_kept_and_reported(tmp_path):
    path = tmp_path / "statements.csv"
    path.write_text("stakeholder,country,text\nAtlantis,ATL,We welcome migrants.\nChile,CHL,We welcome migrants too.\n", encoding="utf-8")
    corpus = read_path(path)
    assert len(corpus.contributions) == 2
    (problem,) = corpus.problems
    assert problem.line == 2 and "unknown country 'ATL'" in problem.reason and problem.skipped is False
    assert corpus.contributions[0].stakeholder.region is None


def test_empty_folder(tmp_path):
    corpus = read_path(tmp_path)
    assert corpus.contributions == [] and corpus.problems == []


def test_empty_and_missing_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    corpus = read_path(tmp_path)
    assert [str(p) for p in corpus.problems] == [f"{tmp_path / 'empty.txt'}: is empty (skipped)"]
    with pytest.raises(InputError, match="does not exist"):
        read_path(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no UNGDC speeches"):
        read_path(DEMO_LIKE(tmp_path), year=1999)


def DEMO_LIKE(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus" / "TXT" / "Session 72 - 2017"
    folder.mkdir(parents=True)
    (folder / "KEN_72_2017.txt").write_text(speech("KEN"), encoding="utf-8")
    return tmp_path / "corpus"


def test_corrupt_docx(tmp_path):
    bad = tmp_path / "statement.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="corrupt DOCX"):
        read_document(bad)
