"""Uploaded documents: bounded in size and recognised by their content, never by their name."""
from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

KINDS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "txt": "text/plain"}
_MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # "pdf", "docx" or "txt"
    data: bytes
    text: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]


def sniff(data: bytes) -> str | None:
    """The kind of a document from its first bytes: "pdf", "docx", "txt", or None."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                total = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names and total < _MAX_DOCX_UNCOMPRESSED:
            return "docx"
        return None
    if _looks_like_text(data):
        return "txt"
    return None


def _looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-16")
            return True
        except UnicodeDecodeError:
            return False
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= len(text) // 100


def check_document(uploaded) -> CheckedDocument:
    """Validate an uploaded file and return its kind, bytes and text.

    Raises ValidationError for a file that is too large, empty, of a kind we do not read
    (whatever its extension says), or that the engine's reader cannot read.
    """
    from rapporteur.errors import InputError
    from rapporteur.ingest.documents import read_document

    limit = settings.RAPPORTEUR_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(f"The file is larger than {limit // 1024} KB.", code="too_large")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {limit // 1024} KB.", code="too_large")
    if not data.strip():
        raise ValidationError("The file is empty.", code="empty")
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            "This file is not a PDF, a Word document (.docx) or plain text.", code="bad_type"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload.{kind}"
        path.write_bytes(data)
        try:
            text = read_document(path)
        except InputError as err:
            raise ValidationError(f"The document could not be read: {err.reason}", code="unreadable") from None
    if not text.strip():
        raise ValidationError("The document contains no text.", code="no_text")
    return CheckedDocument(kind=kind, data=data, text=text)


def save_import_upload(uploaded, folder: Path) -> Path:
    """Save a bulk-import upload (a statements CSV, or a ZIP of a folder) under ``folder``.

    Returns the path to give the engine's ``read_path``: the CSV, or the extracted folder.
    The ZIP is checked entry by entry: no absolute paths, no ``..``, bounded total size.
    """
    limit = settings.RAPPORTEUR_MAX_IMPORT_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.", code="too_large")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.", code="too_large")
    if data[:4] == b"PK\x03\x04":
        return _extract_zip(data, folder / "upload", limit * 10)
    if _looks_like_text(data) and data.strip():
        path = folder / "statements.csv"
        path.write_bytes(data)
        return path
    raise ValidationError("Upload a statements CSV, or a ZIP of a folder of documents.", code="bad_type")


def save_meta_upload(uploaded, folder: Path) -> Path:
    data = uploaded.read(settings.RAPPORTEUR_MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.RAPPORTEUR_MAX_UPLOAD_BYTES or not _looks_like_text(data):
        raise ValidationError("The metadata file must be a CSV (plain text).", code="bad_type")
    path = folder / "metadata.csv"
    path.write_bytes(data)
    return path


def _extract_zip(data: bytes, target: Path, max_total: int) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError("The ZIP file is damaged.", code="bad_zip") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > max_total:
            raise ValidationError("The ZIP file expands to too much data.", code="too_large")
        target.mkdir(parents=True)
        root = target.resolve()
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if name.startswith("/") or ".." in parts or not parts or parts[0] == "__MACOSX":
                continue
            destination = root.joinpath(*parts).resolve()
            if not destination.is_relative_to(root):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(info))
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]  # a ZIP of one folder
    return target
