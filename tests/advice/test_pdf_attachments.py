"""PDF attachments (reporter protection): document information and XMP metadata are
stripped on upload; encrypted PDFs and PDFs with scripts or embedded files are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from advice.models import Report
from tests.advice import pdfs
from tests.advice.test_public_form import FORM

pytestmark = pytest.mark.django_db


def _post(client, data: bytes, lang: str = "en", name: str = "contract.pdf"):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(f"/report/{lang}/", {**FORM, "attachments": [upload]})


def _stored() -> bytes:
    with Report.objects.get().attachments.get().file.open("rb") as handle:
        return handle.read()


def test_pdf_author_and_xmp_metadata_are_stripped(client, reference):
    assert _post(client, pdfs.pdf_with_metadata()).status_code == 200
    stored = _stored()
    assert b"Olena" not in stored  # neither the Author nor the XMP creator
    assert b"Voorbeeldstraat" not in stored and b"PhoneScan" not in stored
    assert b"xmpmeta" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert not (reader.metadata or {}).get("/Author")
    assert not (reader.metadata or {}).get("/Title")
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.pages[0]
    assert len(reader.pages) == 2  # the document itself is kept
    assert Report.objects.get().attachments.get().content_type == "application/pdf"


def test_the_handler_downloads_the_stripped_pdf(client, reference, handler):
    assert _post(client, pdfs.pdf_with_metadata()).status_code == 200
    attachment = Report.objects.get().attachments.get()
    client.force_login(handler)
    response = client.get(f"/advice/reports/{attachment.report_id}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"Olena" not in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (pdfs.pdf_encrypted, "The PDF file is protected with a password."),
        (pdfs.pdf_with_javascript, "The PDF file contains scripts or attached files"),
        (pdfs.pdf_with_embedded_file, "The PDF file contains scripts or attached files"),
        (lambda: b"%PDF-1.4\nnot really a pdf", "The PDF file could not be read."),
    ],
)
def test_risky_or_broken_pdfs_are_refused_with_a_clear_message(client, reference, build, message):
    response = _post(client, build())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_pdf_refusal_is_translated(client, reference):
    response = _post(client, pdfs.pdf_with_javascript(), lang="nl")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The PDF file contains scripts" not in html
    assert "scripts of bijgevoegde bestanden" in html
    response = _post(client, pdfs.pdf_encrypted(), lang="uk")
    assert "The PDF file is protected" not in response.content.decode()
    assert "паролем" in response.content.decode()


def test_a_plain_pdf_is_accepted(client, reference):
    assert _post(client, pdfs.plain_pdf(), name="letter.txt").status_code == 200
    assert len(PdfReader(io.BytesIO(_stored())).pages) == 1
