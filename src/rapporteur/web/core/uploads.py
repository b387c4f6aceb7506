"""Uploaded documents: bounded in size and recognised by their content, never by their name."""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

KINDS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "txt": "text/plain"}
_MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # "pdf", "docx" or "txt"
    data: bytes
    text: str
    encoding: str = ""  # for plain text: the encoding it was read as ("UTF-8", "windows-1252")

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]


def size_label(n_bytes: int, round_up: bool = False) -> str:
    """A size as a person reads it: "10 MB", "1.5 MB", "512 KB". ``round_up`` for a file's size, so
    that a file one byte over a limit of 512 KB reads "513 KB", not "512 KB"."""
    import math

    kb = n_bytes / 1024
    if kb < 1024:
        return f"{math.ceil(kb) if round_up else round(kb)} KB"
    tenths = n_bytes / (1024 * 1024) * 10
    mb = (math.ceil(tenths) if round_up else round(tenths)) / 10
    return f"{mb:.1f}".removesuffix(".0") + " MB"


# Markup under any name: a page or an image that a browser would render (and run) if it were opened.
_OPENS_AS_MARKUP = re.compile(rb"\A\s*<(?:\?xml|!doctype|!--|[a-z][\w:-]*[\s>/])", re.IGNORECASE)
_ACTIVE_TAG = re.compile(rb"<(?:html|svg|script|iframe)[\s>/]", re.IGNORECASE)


def markup_kind(data: bytes) -> str | None:
    """"an HTML document", "an SVG image" or "an XML document" when ``data`` is markup, else None.

    Markup is a file that opens with a tag, a doctype, a comment or an XML declaration, or that holds an
    <html>, <svg>, <script> or <iframe> tag in its first 4 KB (read as UTF-8, or UTF-16 after its BOM)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not (_OPENS_AS_MARKUP.match(head) or _ACTIVE_TAG.search(head)):
        return None
    lowered = head.lower()
    if b"<svg" in lowered:
        return gettext("an SVG image")
    if lowered.lstrip().startswith(b"<?xml") and b"<html" not in lowered:
        return gettext("an XML document")
    return gettext("an HTML document")


def sniff(data: bytes) -> str | None:
    """The kind of a document from its first bytes: "pdf", "docx", "txt", or None.

    Markup (HTML, XML, SVG) is never "txt", whatever the file is called."""
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
    if markup_kind(data) is None and text_encoding(data) is not None:
        return "txt"
    return None


# The legacy encodings statements come in (Windows code pages first); others are tried after these.
_COMMON_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
                     "cp874", "koi8_r", "mac_roman", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr"]


def text_encoding(data: bytes) -> str | None:
    """The codec that plain text ``data`` is written in, or None when it is not text.

    A byte-order mark decides; then UTF-8 if the bytes are valid UTF-8; otherwise the best reading
    charset-normalizer finds among the common legacy encodings (then among all). Short texts read
    alike in several Western code pages: windows-1252 is chosen when it reads them as well as the best
    guess (e.g. a Windows text with é ’ –). Text with more than 1% control characters is binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif b"\x00" in data:
        return None
    else:
        try:
            data.decode("utf-8")
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = _guess_legacy_encoding(data)
            if codec is None:
                return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return codec if controls <= len(text) // 100 else None


def _guess_legacy_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    readings = from_bytes(data, cp_isolation=_COMMON_ENCODINGS) or from_bytes(data)
    best = readings.best()
    if best is None:
        return None
    western = next((r for r in readings if r.encoding == "cp1252"), None)
    if "cp1252" in best.could_be_from_charset or (
            western is not None and western.chaos <= best.chaos + 0.05
            and western.coherence >= best.coherence - 0.1):
        return "cp1252"
    return best.encoding


def encoding_label(codec: str) -> str:
    """An encoding's common name, as text editors call it: "UTF-8", "windows-1252", "ISO-8859-1"."""
    import codecs

    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith(("utf-", "iso")):
        return name.upper().replace("ISO8859", "ISO-8859")
    return name


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


_KINDS_WE_READ = gettext_lazy("a PDF, a Word document (.docx) or plain text")


def check_document(uploaded) -> CheckedDocument:
    """Validate an uploaded file and return its kind, bytes, text and (plain text) encoding.

    Raises ValidationError naming the file for a file that is too large, empty, markup (HTML, XML,
    SVG: refused under any name), of a kind we do not read (whatever its extension says), or that the
    engine's reader cannot read.
    """
    from rapporteur.errors import InputError
    from rapporteur.ingest.documents import read_document

    name = Path(uploaded.name or "").name or gettext("The file")
    limit = settings.RAPPORTEUR_MAX_UPLOAD_BYTES
    too_large = ValidationError(
        gettext("%(name)s is %(size)s: larger than the limit of %(limit)s for a document. Upload a smaller file "
                "(a PDF saved with smaller images, or without pages that are not part of the statement)."),
        code="too_large", params={"name": name, "size": size_label(uploaded.size or limit + 1, round_up=True),
                                  "limit": size_label(limit)},
    )
    if uploaded.size is not None and uploaded.size > limit:
        raise too_large
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data.strip():
        raise ValidationError(gettext("%(name)s is empty."), code="empty", params={"name": name})
    kind = sniff(data)
    if kind is None:
        markup = markup_kind(data)
        if markup:
            raise ValidationError(
                gettext("%(name)s is %(markup)s, not %(kinds)s: markup is refused whatever the file is called. "
                        "Save it as a PDF, or paste its text into the statement."),
                code="markup", params={"name": name, "markup": markup, "kinds": _KINDS_WE_READ},
            )
        raise ValidationError(
            gettext("%(name)s is not %(kinds)s (files are recognised by their content, not by their name)."),
            code="bad_type", params={"name": name, "kinds": _KINDS_WE_READ},
        )
    codec = text_encoding(data) if kind == "txt" else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload.{kind}"
        path.write_bytes(data)
        try:
            text = read_document(path, encoding=codec or "utf-8")
        except InputError as err:
            raise ValidationError(gettext("%(name)s could not be read: %(reason)s"), code="unreadable",
                                  params={"name": name, "reason": err.reason}) from None
    if not text.strip():
        raise ValidationError(gettext("%(name)s contains no text."), code="no_text", params={"name": name})
    return CheckedDocument(kind=kind, data=data, text=text, encoding=encoding_label(codec) if codec else "")


def save_import_upload(uploaded, folder: Path) -> Path:
    """Save a bulk-import upload (a statements CSV, or a ZIP of a folder) under ``folder``.

    Returns the path to give the engine's ``read_path``: the CSV, or the extracted folder.
    The ZIP is checked entry by entry: no absolute paths, no ``..``, bounded total size.
    """
    limit = settings.RAPPORTEUR_MAX_IMPORT_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(gettext("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
                              code="too_large")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(gettext("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
                              code="too_large")
    if data[:4] == b"PK\x03\x04":
        return _extract_zip(data, folder / "upload", limit * 10)
    if _looks_like_text(data) and data.strip():
        path = folder / "statements.csv"
        path.write_bytes(data)
        return path
    raise ValidationError(gettext("Upload a statements CSV, or a ZIP of a folder of documents."), code="bad_type")


def save_meta_upload(uploaded, folder: Path) -> Path:
    data = uploaded.read(settings.RAPPORTEUR_MAX_UPLOAD_BYTES + 1)
    if len(data) > settings.RAPPORTEUR_MAX_UPLOAD_BYTES or not _looks_like_text(data):
        raise ValidationError(gettext("The metadata file must be a CSV (plain text)."), code="bad_type")
    path = folder / "metadata.csv"
    path.write_bytes(data)
    return path


def _extract_zip(data: bytes, target: Path, max_total: int) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED_ZIP:
        raise ValidationError(gettext("The ZIP file is damaged."), code="bad_zip") from None
    try:
        return _extract_members(archive, target, max_total)
    except _DAMAGED_ZIP:  # a member that does not unpack (bad checksum, truncated, unknown compression)
        raise ValidationError(gettext("The ZIP file is damaged."), code="bad_zip") from None


# what zipfile raises on a damaged archive, besides BadZipFile: a truncated stream, a wrong offset,
# an unknown compression method
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, KeyError)


def _extract_members(archive: zipfile.ZipFile, target: Path, max_total: int) -> Path:
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > max_total:
            raise ValidationError(gettext("The ZIP file expands to too much data."), code="too_large")
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


class CheckedDocumentMixin:
    """For a form with a ``document`` file field: the upload is checked by ``check_document`` when the
    form is cleaned, and the result kept as ``self.checked_document`` (None without an upload)."""

    checked_document: CheckedDocument | None = None

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if uploaded:
            self.checked_document = check_document(uploaded)
        return uploaded
