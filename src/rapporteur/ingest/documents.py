"""Text out of one document: .txt, .md, .pdf or .docx."""
from __future__ import annotations

from pathlib import Path

from rapporteur.errors import InputError

DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf", ".docx")


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Decode bytes strictly; a BOM wins over ``encoding``. Never guesses silently."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
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
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError(str(path), "is not a PDF (no %PDF header): corrupt or mislabelled")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
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
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(str(path), f"corrupt DOCX ({type(err).__name__}: {err})") from None
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
    return "\n".join(lines)
