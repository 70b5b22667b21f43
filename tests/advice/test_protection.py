"""Reporter protection: EXIF and other metadata stripped from attachments, type checked by
content, and the reporter's identity removed after closing plus the retention period."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from advice.constants import ReportStatus
from advice.models import Report
from advice.services.reports import report_status_change
from core.hooks import hooks_call
from tests.advice.helpers import a_report
from tests.advice.pdfs import plain_pdf
from tests.advice.test_public_form import FORM

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0131] = "Phone software 1.0"
    exif[0x0132] = "2026:11:30 21:15:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 35.0, 10.0), 3: "E", 4: (5.0, 5.0, 1.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at Voorbeeldstraat 1")
    data = out.getvalue()
    assert b"SecretCam" in data and Image.open(io.BytesIO(data)).getexif()
    return data


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Olena Petrenko")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _post(client, *files):
    return client.post("/report/en/", {**FORM, "attachments": list(files)})


def test_exif_is_stripped_from_an_uploaded_photo(client, reference, coordinator, handler):
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_exif(), content_type="image/jpeg")
    assert _post(client, upload).status_code == 200
    attachment = Report.objects.get().attachments.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.content_type == "image/jpeg"
    assert b"SecretCam" not in stored and b"Voorbeeldstraat" not in stored
    assert b"Exif" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert image.size == (64, 48)  # the picture itself is kept
    # The handler downloads the cleaned file.
    client.force_login(handler)
    response = client.get(f"/advice/reports/{attachment.report_id}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"SecretCam" not in b"".join(response.streaming_content)


def test_png_text_chunks_are_stripped(client, reference):
    upload = SimpleUploadedFile("a.png", png_with_text(), content_type="image/png")
    assert _post(client, upload).status_code == 200
    with Report.objects.get().attachments.get().file.open("rb") as handle:
        stored = handle.read()
    assert b"Olena" not in stored and b"tEXt" not in stored


def test_the_type_is_checked_by_content_not_by_name(client, reference):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = _post(client, fake)
    assert response.status_code == 400
    assert "Only photos (JPEG, PNG) and PDF files can be attached." in response.content.decode()
    assert not Report.objects.exists()
    broken = SimpleUploadedFile("x.png", b"\xff\xd8\xff\xe0 broken jpeg", content_type="image/png")
    assert _post(client, broken).status_code == 400
    pdf = SimpleUploadedFile("letter.txt", plain_pdf(), content_type="text/plain")
    assert _post(client, pdf).status_code == 200
    assert Report.objects.get().attachments.get().content_type == "application/pdf"


def test_an_attachment_over_the_cap_is_refused(client, reference, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * 200_000, content_type="application/pdf"
    )
    response = _post(client, big)
    assert response.status_code == 413
    assert not Report.objects.exists()


def test_reporter_identity_is_removed_after_closing_plus_retention(reference, settings):
    settings.REPORT_REPORTER_RETENTION_DAYS = 30
    now = timezone.now()
    old = a_report().report
    recent = a_report().report
    still_open = a_report().report
    report_status_change(
        report=old, status="closed", outcome="resolved", actor=None, now=now - dt.timedelta(days=31)
    )
    report_status_change(
        report=recent,
        status="closed",
        outcome="resolved",
        actor=None,
        now=now - dt.timedelta(days=5),
    )
    Report.objects.filter(pk=still_open.pk).update(created_at=now - dt.timedelta(days=400))
    # The daily retention task runs every app's purger (settings.RETENTION_PURGERS).
    results = hooks_call("RETENTION_PURGERS", now=now, actor=None)
    assert results["advice.services.retention.reports_reporter_purge"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert old.reporter_name == old.reporter_contact == ""
    assert old.reporter_removed_at is not None
    assert old.status == ReportStatus.CLOSED and old.description  # the case stays
    assert recent.reporter_name == "Olena"
    assert still_open.reporter_name == "Olena"
