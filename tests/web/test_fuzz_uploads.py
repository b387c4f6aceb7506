"""Fuzzed uploads (issue 16): any bytes under any name give a checked document or a ValidationError
naming the file — never a crash, never a hang. A statement's document (``check_document``) and a bulk
import (``save_import_upload``: a statements CSV or a ZIP of a folder, mutated, bombed, with paths
that climb out) are read as the site reads them."""
from __future__ import annotations

import io
import os
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.trust.test_fuzz_readers import bounded, mutated, text_bytes
from .factories import make_docx, make_pdf

CASES = int(os.environ.get("RAPPORTEUR_FUZZ_CASES", "60"))
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
PDF = make_pdf("We call on all States to protect the rights of migrants.")
DOCX = make_docx(["We call on all States to protect the rights of migrants."])


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


FOLDER = _zip({"statements/a.txt": b"We call for regular pathways.", "statements/b.pdf": PDF,
               "../../escape.txt": b"climbing out", "/absolute.txt": b"absolute"})


@FUZZ
@given(data=st.data())
def test_a_statement_s_document(data):
    from rapporteur.web.core.uploads import check_document

    payload = data.draw(st.one_of(st.binary(max_size=1024), text_bytes(), mutated(PDF), mutated(DOCX),
                                  st.just(b"<html><script>alert(1)</script></html>")))
    name = data.draw(st.sampled_from(["statement.pdf", "statement.docx", "notes.txt", "x", "évaluation.PDF"]))
    try:
        with bounded():
            checked = check_document(SimpleUploadedFile(name, payload))
    except ValidationError as error:
        assert error.params and "name" in error.params, error
        return
    assert checked.text.strip() and checked.kind in ("pdf", "docx", "txt")


@FUZZ
@given(data=st.data())
def test_a_bulk_import(tmp_path_factory, data):
    from rapporteur.web.core.uploads import save_import_upload

    payload = data.draw(st.one_of(mutated(FOLDER), st.just(FOLDER), text_bytes(), st.binary(max_size=512)))
    folder = tmp_path_factory.mktemp("import")
    try:
        with bounded():
            path = save_import_upload(SimpleUploadedFile("import.zip", payload), folder)
    except ValidationError:
        return
    root = folder.resolve()
    for written in folder.rglob("*"):  # nothing lands outside the import's folder
        assert written.resolve().is_relative_to(root)
    assert path.exists()


def test_a_zip_bomb_import_is_refused(tmp_path):
    from rapporteur.web.core.uploads import save_import_upload

    bomb = _zip({"statements/a.txt": b"0" * 600_000_000})
    try:
        save_import_upload(SimpleUploadedFile("bomb.zip", bomb), tmp_path)
    except ValidationError as error:
        assert error.code == "too_large"
    else:
        raise AssertionError("a ZIP that unpacks to 600 MB was accepted")
