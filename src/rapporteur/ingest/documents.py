"""Text out of one document: .txt, .md, .pdf or .docx."""
from __future__ import annotations

from pathlib import Path

from rapporteur.errors import InputError

DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
# a DOCX whose parts unpack to more than this is refused before it is opened (a zip bomb)
MAX_UNPACKED = 200_000_000


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Decode bytes strictly; a BOM wins over ``encoding``. Never guesses silently."""
    marked = None  # the encoding a byte-order mark names
    if data.startswith(b"\xef\xbb\xbf"):
        marked, data = "utf-8", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        marked = "utf-16"
    try:
        return data.decode(marked or encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        if marked:
            raise InputError(source, f"starts with a {marked.upper()} byte-order mark but is not valid {marked} "
                                     f"(at offset {err.start}: {err.reason})", line=line) from None
        raise InputError(
            source,
            f"not valid {encoding} (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-save it as UTF-8 or pass --encoding (e.g. cp1252)",
            line=line,
        ) from None


def read_document(path: str | Path, encoding: str = "utf-8") -> str:
    """Return the plain text of a document, or raise InputError naming the file.

    PDF pages are joined with blank lines; DOCX paragraphs (and table cells) one per line, with
    list paragraphs prefixed by "- " so that they segment as bullets, and Heading, Title and
    Subtitle paragraphs by "# " so that they segment as headings (structure, not analysed).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot be read ({err.strerror})") from None
    if suffix in (".txt", ".md", ""):
        return decode_text(data, str(path), encoding)
    if suffix == ".pdf":
        return _pdf_text(data, path)
    if suffix == ".docx":
        return _docx_text(data, path)
    raise InputError(str(path), f"unsupported file type {suffix!r}; expected one of {', '.join(DOCUMENT_SUFFIXES)}")


def _pdf_text(data: bytes, path: Path) -> str:
    import io
    import logging

    from pypdf import PdfReader

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError(str(path), "is not a PDF (no %PDF header): corrupt or mislabelled")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as err:  # pypdf raises many kinds on a damaged file (and RecursionError on a loop): bad input
        raise InputError(str(path), f"corrupt PDF ({type(err).__name__}: {err})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(str(path), "PDF has no extractable text (scanned image? run OCR first)")
    return text


def _docx_text(data: bytes, path: Path) -> str:
    import io
    import zipfile

    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise InputError(str(path), f"corrupt DOCX ({type(err).__name__}: {err})") from None
    if unpacked > MAX_UNPACKED:
        raise InputError(str(path), f"DOCX unpacks to {unpacked:,} bytes (more than {MAX_UNPACKED:,}): refused as a "
                                    "zip bomb; save the document again or split it")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = _docx_lines(document)
    except Exception as err:  # python-docx and lxml raise many kinds on a damaged package: all are bad input
        raise InputError(str(path), f"corrupt DOCX ({type(err).__name__}: {err})") from None
    return "\n".join(lines)


def _docx_lines(document) -> list[str]:
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        if style.startswith(("heading", "title", "subtitle")):
            lines.append(f"# {text}")
        else:
            lines.append(f"- {text}" if "list" in style else text)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip():
                    lines.append(cell.text.strip())
    return lines
