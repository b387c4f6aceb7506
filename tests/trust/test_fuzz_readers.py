"""Fuzzed readers (issue 16): any bytes give a result or an ``InputError`` naming the file and line —
never a crash, never a hang (each input has ``TIME_LIMIT`` seconds), never a silent loss (what is
read plus what is reported skipped is every row or file that came in).

Inputs are random bytes, random text in several encodings with BOMs and NULs, real files (a PDF and a
DOCX written from a real General Debate speech, a real Pol.is export) mutated byte by byte or cut
short, and fixed hostile cases: zip bombs, a DOCX nested in a DOCX, a PDF stream bomb, a PDF with a
page tree that loops, a 20 MB line. ``RAPPORTEUR_FUZZ_CASES`` sets the examples per reader (default
60); ``python benchmarks/fuzz_readers.py`` runs more and prints the cases run per reader.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapporteur.errors import InputError

CASES = int(os.environ.get("RAPPORTEUR_FUZZ_CASES", "60"))
TIME_LIMIT = 20  # seconds per input
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
SPEECH = ("We call on all States to protect the rights of migrants.\n\n"
          "The global compact for migration is a milestone.\nRegular pathways reduce irregular migration.")


@contextlib.contextmanager
def bounded(seconds: int = TIME_LIMIT):
    """Fail, rather than hang, when reading one input takes longer than ``seconds``."""
    def expire(signum, frame):
        raise TimeoutError(f"reading one input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _named(error: InputError, path: Path) -> None:
    assert path.name in error.source or path.name in str(error), str(error)


# --------------------------------------------------------------------------------- strategies
ENCODINGS = ("utf-8", "utf-16", "cp1252", "latin-1")
BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@st.composite
def text_bytes(draw) -> bytes:
    """Text as a file holds it: some encoding, perhaps a BOM, perhaps NULs and odd line ends."""
    text = draw(st.text(max_size=400))
    if draw(st.booleans()):
        text = text.replace(draw(st.sampled_from(["a", "e", " "])), draw(st.sampled_from(["\x00", "\r", "\u2028", "\ufeff"])))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
    return draw(st.sampled_from(BOMS)) + data


def mutated(original: bytes):
    """``original`` cut short, with bytes flipped, or with random bytes put in."""
    @st.composite
    def strategy(draw) -> bytes:
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 6))):
            action = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            if action == "cut":
                data = data[:at]
            elif action == "flip" and data:
                data[at] = draw(st.integers(0, 255))
            elif action == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=64))
            elif data:
                del data[at:at + draw(st.integers(1, 256))]
        return bytes(data)
    return strategy()


def csv_text(columns: list[str]):
    """A CSV as people write them: the right header or not, quoted or not, short and long rows."""
    cell = st.one_of(st.text(max_size=30), st.sampled_from(["", "GBR", "France", "xx", "Member State", "NGO",
                                                              "1", "-1", "0", "2", "\"", "a,b", "=1+1"]))
    header = st.one_of(st.just(columns), st.lists(st.sampled_from(columns + ["other", "", "TEXT"]), max_size=6))

    @st.composite
    def strategy(draw) -> bytes:
        rows = [draw(header)] + draw(st.lists(st.lists(cell, max_size=len(columns) + 2), max_size=12))
        out = io.StringIO()
        csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
                   lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
        text = out.getvalue()
        if draw(st.booleans()):  # break it somewhere
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(['"', "\x00", ",,,", "\n\n", "\r"])) + text[at:]
        return draw(st.sampled_from(BOMS[:2])) + text.encode("utf-8")
    return strategy()


def records_in(data: bytes) -> int | None:
    """Non-blank data records as the strict csv module counts them, or None where it cannot parse."""
    from rapporteur.ingest.documents import decode_text

    try:
        rows = list(csv.reader(io.StringIO(decode_text(data, "x"), newline=""), strict=True))
    except (InputError, csv.Error, UnicodeDecodeError):
        return None
    return sum(1 for r in rows[1:] if any(c.strip() for c in r))


# --------------------------------------------------------------------------------- real files
@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, SPEECH)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Statement", level=1)
    for paragraph in SPEECH.split("\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read_document(tmp_path: Path, name: str, data: bytes) -> str | None:
    from rapporteur.ingest.documents import read_document

    path = tmp_path / name
    path.write_bytes(data)
    try:
        with bounded():
            return read_document(path)
    except InputError as error:
        _named(error, path)
        return None


# --------------------------------------------------------------------------------- the readers
@FUZZ
@given(data=st.one_of(st.binary(max_size=2048), text_bytes()))
def test_text_documents(tmp_path, data):
    for suffix in (".txt", ".md"):
        text = _read_document(tmp_path, f"statement{suffix}", data)
        assert text is None or isinstance(text, str)


@FUZZ
@given(data=st.data())
def test_pdf_documents(tmp_path, real_pdf, data):
    payload = data.draw(st.one_of(mutated(real_pdf), st.binary(max_size=1024).map(lambda b: b"%PDF-1.4\n" + b)))
    text = _read_document(tmp_path, "statement.pdf", payload)
    assert text is None or text.strip()


@FUZZ
@given(data=st.data())
def test_docx_documents(tmp_path, real_docx, data):
    text = _read_document(tmp_path, "statement.docx", data.draw(st.one_of(mutated(real_docx), st.binary(max_size=512))))
    assert text is None or isinstance(text, str)


@FUZZ
@given(data=csv_text(["stakeholder", "type", "country", "text", "session", "date", "id", "language"]))
def test_statements_csv(tmp_path, data):
    from rapporteur.ingest.statements_csv import read_statements_csv

    path = tmp_path / "statements.csv"
    path.write_bytes(data)
    try:
        with bounded():
            corpus = read_statements_csv(path)
    except InputError as error:
        _named(error, path)
        return
    rows = records_in(data)
    skipped = sum(1 for p in corpus.problems if p.skipped)
    assert rows is not None and len(corpus.contributions) + skipped == rows


@FUZZ
@given(meta=csv_text(["file", "stakeholder", "type", "country", "session", "date"]),
       files=st.lists(st.tuples(st.sampled_from(["a.txt", "b.md", "c.pdf", "d.docx", "e.txt"]),
                                st.one_of(text_bytes(), st.binary(max_size=256))), max_size=5, unique_by=lambda f: f[0]))
def test_folder_with_metadata(tmp_path_factory, meta, files):
    from rapporteur.ingest.folder import read_folder

    folder = tmp_path_factory.mktemp("folder")
    for name, data in files:
        (folder / name).write_bytes(data)
    (folder / "meta.csv").write_bytes(meta)
    try:
        with bounded():
            corpus = read_folder(folder, meta=folder / "meta.csv")
    except InputError as error:
        assert "meta.csv" in str(error) or folder.name in str(error), str(error)
        return
    documents = {c.source for c in corpus.contributions}
    skipped = {p.source.split("/")[-1] for p in corpus.problems if p.skipped}
    for name, _ in files:  # every file is read or reported
        assert any(name in s for s in documents) or any(name in s for s in skipped), (name, corpus.problems)


@FUZZ
@given(data=st.data())
def test_ungdc_archive(tmp_path_factory, data):
    import tarfile

    from rapporteur.ingest.ungdc import read_ungdc

    folder = tmp_path_factory.mktemp("ungdc")
    names = data.draw(st.lists(st.sampled_from(["GBR_72_2017.txt", "FRA_72_2017.txt", "XXX_72_2017.txt",
                                                "notes.txt", "GBR_72_2017.txt.bak", "USA_1_1946.txt"]),
                               max_size=4, unique=True))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:xz") as archive:
        for name in names:
            body = data.draw(st.one_of(text_bytes(), st.binary(max_size=256)))
            info = tarfile.TarInfo(f"TXT/Session 72 - 2017/{name}")
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    payload = data.draw(st.one_of(st.just(raw.getvalue()), mutated(raw.getvalue())))
    path = folder / "UNGDC_1946-2024.tar.xz"
    path.write_bytes(payload)
    try:
        with bounded():
            corpus = read_ungdc(path)
    except InputError as error:
        _named(error, path)
        return
    speeches = [n for n in names if n.endswith(".txt") and n[:3].isalpha() and "_" in n and n != "notes.txt"]
    if payload == raw.getvalue():  # intact archive: every speech read or reported
        assert len(corpus.contributions) + sum(1 for p in corpus.problems if p.skipped) >= len(speeches)


@pytest.fixture(scope="module")
def polis_export() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis-opendata" / "brexit-consensus"


@FUZZ
@given(data=st.data())
def test_polis_export(tmp_path_factory, polis_export, data):
    from rapporteur.votes import read_conversation

    folder = tmp_path_factory.mktemp("polis")
    for name in ("comments.csv", "votes.csv", "participants-votes.csv"):
        original = (polis_export / name).read_bytes()[:20000]
        (folder / name).write_bytes(data.draw(st.one_of(st.just(original), mutated(original)), label=name))
    try:
        with bounded():
            conversation = read_conversation(folder)
    except InputError as error:
        assert folder.name in str(error) or any(n in str(error) for n in ("comments.csv", "votes.csv")), str(error)
        return
    assert conversation.n_votes >= 0


@FUZZ
@given(votes=csv_text(["participant", "statement", "vote"]), statements=csv_text(["id", "text", "moderated"]),
       participants=csv_text(["participant", "type", "country", "region"]))
def test_plain_votes_and_participants(tmp_path_factory, votes, statements, participants):
    from rapporteur.votes import read_conversation

    folder = tmp_path_factory.mktemp("plain")
    (folder / "votes.csv").write_bytes(votes)
    (folder / "statements.csv").write_bytes(statements)
    (folder / "participants.csv").write_bytes(participants)
    try:
        with bounded():
            conversation = read_conversation(folder)
    except InputError as error:
        assert any(n in str(error) for n in ("votes.csv", "statements.csv", "participants.csv", folder.name)), str(error)
        return
    rows = records_in(votes)
    if rows is not None:  # no vote comes from nowhere: at most one per data row
        assert conversation.n_votes <= rows


# --------------------------------------------------------------------------------- hostile cases
def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused(tmp_path, real_docx):
    with zipfile.ZipFile(io.BytesIO(real_docx)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"</w:body>", b"<w:p><w:r><w:t>" + b"A" * 300_000_000 + b"</w:t></w:r></w:p></w:body>")
    bomb = _zip(members)
    assert len(bomb) < 2_000_000
    assert _read_document(tmp_path, "bomb.docx", bomb) is None


def test_a_docx_nested_in_a_docx_reads_the_outer_text_only(tmp_path, real_docx):
    with zipfile.ZipFile(io.BytesIO(real_docx)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["word/embeddings/inner.docx"] = real_docx
    text = _read_document(tmp_path, "nested.docx", _zip(members))
    assert text is not None and text.count("Regular pathways reduce irregular migration.") == 1


def test_a_pdf_stream_bomb_is_bounded(tmp_path):
    import zlib

    stream = zlib.compress(b"0 0 Td " * 40_000_000, 9)
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
           b"4 0 obj<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>stream\n" + stream +
           b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF")
    assert _read_document(tmp_path, "bomb.pdf", pdf) is None


def test_a_pdf_whose_page_tree_loops_is_refused(tmp_path):
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF")
    assert _read_document(tmp_path, "loop.pdf", pdf) is None


def test_a_huge_line_and_nul_bytes(tmp_path):
    text = _read_document(tmp_path, "huge.txt", b"migration " * 2_000_000)
    assert text is not None and len(text) == 20_000_000
    assert _read_document(tmp_path, "nul.txt", b"We call\x00 on States.\x00") is not None


def test_a_statements_csv_with_a_huge_cell(tmp_path):
    from rapporteur.ingest.statements_csv import read_statements_csv

    path = tmp_path / "statements.csv"
    path.write_text("stakeholder,text\nA," + "x" * 5_000_000 + "\n", encoding="utf-8")
    with bounded():
        try:
            corpus = read_statements_csv(path)
        except InputError as error:
            _named(error, path)
            return
    assert len(corpus.contributions) == 1

