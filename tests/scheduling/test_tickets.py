"""Ticket PDFs: languages, QR round trip, permissions, cancelled visits, group PDFs."""

import io

import pypdf
import pytest
import zxingcpp
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from PIL import Image

from core.dates import date_long
from core.models import AuditLogEntry
from core.pdf import StaticOnlyFetcher
from scheduling.constants import AppointmentStatus, ServiceCategory
from scheduling.models import GroupBooking, TicketBatch, TicketBatchStatus
from scheduling.tickets.pdf import TicketFormat, ticket_pdf_document, ticket_view_build
from scheduling.tickets.qr import QUIET_ZONE, qr_render
from scheduling.tickets.services import ticket_batch_build, ticket_pdf_for_appointment
from scheduling.tickets.texts import TEXT, all_ticket_strings, documents_for
from scheduling.tokens import ticket_token_resolve
from tests import factories
from tests.pdf_layout import layout_of, weasyprint_user_agent

pytestmark = pytest.mark.django_db

# The translated "Documents to bring" heading and "What happens at the desk", per language.
EXPECTED = {
    "nl": ("Mee te nemen documenten", "Wat gebeurt er aan de balie"),
    "en": ("Documents to bring", "What happens at the desk"),
    "pl": ("Dokumenty, które należy zabrać", "Co dzieje się przy okienku"),
    "ro": ("Documente pe care trebuie să le aduceți", "Ce se întâmplă la ghișeu"),
    "bg": ("Документи, които да носите", "Какво се случва на гишето"),
    "hu": ("Hozandó iratok", "Mi történik az ügyfélpultnál"),
}


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def desk(reference):
    return factories.location()


@pytest.fixture
def appt(desk, next_monday):
    return factories.appointment(
        loc=desk, start=factories.aware(next_monday, 10), codes=["brp", "zvw"]
    )


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_ticket_renders_in_client_language(desk, next_monday, lang):
    client = factories.client(language=lang, nationality="PL")
    appt = factories.appointment(loc=desk, start=factories.aware(next_monday, 9, 30), cl=client)
    pdf = ticket_pdf_for_appointment(appointment=appt, fmt="a4", actor=None)
    text = flat(pdf_text(pdf))
    bring, desk_heading = EXPECTED[lang]
    assert bring in text
    assert desk_heading in text
    assert appt.booking_code in text
    assert "09:30" in text
    assert desk.full_address in text
    # Localized service names from ServiceType.translations (English in en).
    assert flat(factories.service("brp").localized_name(lang)) in text
    # No personal data on the ticket.
    assert client.last_name not in text
    assert "1990" not in text


def test_bulgarian_ticket_has_cyrillic_text(desk, next_monday):
    client = factories.client(language="bg", nationality="BG")
    appt = factories.appointment(loc=desk, start=factories.aware(next_monday, 11), cl=client)
    text = flat(pdf_text(ticket_pdf_for_appointment(appointment=appt, fmt="a4", actor=None)))
    assert "Регистрация в BRP" in text
    assert "Валиден паспорт или лична карта" in text
    # Month and weekday names come out in Bulgarian too.
    with translation.override("bg"):
        assert any(ch in text for ch in "понеделникюнидекември")


def test_every_ticket_string_is_translated_in_the_main_languages():
    with translation.override("en"):
        english = [str(s) for s in all_ticket_strings()]
    for lang in ["nl", "pl", "ro", "bg", "hu", "lt", "lv", "sk", "pt", "es", "uk"]:
        with translation.override(lang):
            untranslated = [
                e for s, e in zip(all_ticket_strings(), english, strict=True) if str(s) == e
            ]
        assert not untranslated, (lang, untranslated)


def test_qr_in_the_pdf_decodes_and_resolves_to_the_appointment(appt):
    pdf = ticket_pdf_for_appointment(appointment=appt, fmt="a4", actor=None)
    images = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images
    assert images, "the ticket embeds the QR image"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)).convert("L"))
    assert len(decoded) == 1
    result = ticket_token_resolve(decoded[0].text)
    assert result.ok and result.appointment == appt


@pytest.mark.parametrize("fmt", TicketFormat.ALL)
def test_qr_in_the_pdf_is_one_greyscale_pixel_a_module_printed_sharp(appt, fmt):
    """Cheap to embed (no RGB conversion, no large image to re-encode) and still sharp: the
    PDF image is not interpolated, so each module prints as a clean square; it decodes."""
    view = ticket_view_build(appt)
    modules = 17 + 4 * view.qr_version + 2 * QUIET_ZONE
    pdf = ticket_pdf_for_appointment(appointment=appt, fmt=fmt, actor=None)
    image = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images[0]
    assert image.image.size == (modules, modules)
    xobject = image.indirect_reference.get_object()
    assert xobject["/ColorSpace"] == "/DeviceGray"
    assert xobject["/Interpolate"] == pypdf.generic.BooleanObject(False)
    scaled = image.image.convert("L").resize((modules * 8, modules * 8), Image.NEAREST)
    assert [r.text for r in zxingcpp.read_barcodes(scaled)] == [view.token]


def test_qr_is_small_and_alphanumeric(appt):
    view = ticket_view_build(appt)
    assert len(view.token) <= 34
    assert view.qr_version <= 2
    assert view.token == view.token.upper()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_render(view.token).png)))
    assert decoded[0].text == view.token


def test_rescheduled_ticket_qr_no_longer_resolves(appt):
    old = ticket_view_build(appt).token
    appt.token_version += 1
    appt.save()
    assert ticket_token_resolve(old).error == "superseded"
    assert ticket_token_resolve(ticket_view_build(appt).token).ok


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_documents_depend_on_service_and_nationality(english):
    eu = [str(d) for d in documents_for(ServiceCategory.REGISTRATION_BRP, is_eu=True)]
    non_eu = [str(d) for d in documents_for(ServiceCategory.REGISTRATION_BRP, is_eu=False)]
    assert any("no apostille" in d for d in eu)
    assert not any("IND" in d for d in eu)
    assert any("apostille" in d and "sworn translation" in d for d in non_eu)
    assert any("IND residence document" in d for d in non_eu)
    assert documents_for(ServiceCategory.EXTRA, is_eu=True) == []


def test_non_eu_ticket_lists_ind_document_and_interpreter_notice(desk, next_monday, english):
    client = factories.client(language="en", nationality="UA", interpreter_needed=True)
    appt = factories.appointment(
        loc=desk, start=factories.aware(next_monday, 10), cl=client, codes=["brp", "ind"]
    )
    text = flat(pdf_text(ticket_pdf_for_appointment(appointment=appt, fmt="a4", actor=None)))
    assert "IND residence document" in text
    assert "driving licence is not accepted" in text
    assert flat(str(TEXT["interpreter_notice"])) in text
    eu_appt = factories.appointment(loc=desk, start=factories.aware(next_monday, 12))
    eu_text = flat(pdf_text(ticket_pdf_for_appointment(appointment=eu_appt, fmt="a4", actor=None)))
    assert "Tłumacz" not in eu_text  # Polish "Interpreter" heading: not flagged


def test_receipt_variant_is_80mm_wide_and_trimmed(appt):
    pdf = ticket_pdf_for_appointment(appointment=appt, fmt=TicketFormat.RECEIPT, actor=None)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert round(width_mm) == 80
    assert 100 < height_mm < 590  # cut below the content, not the full roll
    assert appt.booking_code in pdf_text(pdf)


@pytest.fixture
def full_ticket(desk, next_monday):
    """A ticket with every part: three legs, interpreter notice, the non-EU checklist."""

    def make(lang):
        client = factories.client(language=lang, nationality="UA", interpreter_needed=True)
        start = factories.aware(next_monday, 9, 30)
        return factories.appointment(loc=desk, start=start, cl=client, codes=["brp", "zvw", "ind"])

    return make


@pytest.mark.parametrize("fmt", TicketFormat.ALL)
@pytest.mark.parametrize("lang", ["bg", "nl"])
def test_ticket_is_laid_out_with_one_text_run_a_line(full_ticket, lang, fmt):
    """Every line of the ticket is its own block with one text run: no inline elements
    (span, strong, br) and no inline image. Each inline box costs weasyprint a split and a
    text layout per line, and a group PDF lays a ticket page out 50+ times."""
    document = ticket_pdf_document(full_ticket(lang), fmt=fmt)
    assert len(document.pages) == 1
    boxes = list(document.pages[0]._page_box.descendants())
    kinds = {type(box).__name__ for box in boxes}
    assert kinds <= {"PageBox", "BlockBox", "LineBox", "TextBox", "BlockReplacedBox"}, kinds
    lines = [box for box in boxes if type(box).__name__ == "LineBox"]
    assert lines and all(len(line.children) == 1 for line in lines)
    [qr] = [box for box in boxes if type(box).__name__ == "BlockReplacedBox"]
    assert qr.element_tag == "img"


@pytest.mark.parametrize("fmt", TicketFormat.ALL)
def test_ticket_lays_out_as_with_weasyprints_own_user_agent_sheet(full_ticket, fmt):
    """The project's lean user-agent sheet (core.pdf) moves nothing on a full ticket."""
    appointment = full_ticket("bg")
    ours = layout_of(ticket_pdf_document(appointment, fmt=fmt))
    with weasyprint_user_agent():
        theirs = layout_of(ticket_pdf_document(appointment, fmt=fmt))
    assert ours == theirs


@pytest.mark.parametrize("fmt", TicketFormat.ALL)
@pytest.mark.parametrize("lang", ["bg", "nl"])
def test_ticket_text_has_code_date_time_place_and_every_leg(full_ticket, lang, fmt):
    appointment = full_ticket(lang)
    text = flat(pdf_text(ticket_pdf_for_appointment(appointment=appointment, fmt=fmt, actor=None)))
    location = appointment.location
    with translation.override(lang):
        start = timezone.localtime(appointment.start)
        assert appointment.booking_code in text
        assert flat(date_long(start)) in text
        assert f"{TEXT['time']}: {date_format(start, 'H:i')}" in text
        assert f"{TEXT['address']}: {location.name}" in text
        assert flat(location.full_address) in text
        legs = sorted(appointment.legs.all(), key=lambda leg: leg.position)
        assert len(legs) == 3
        for leg in legs:
            leg_time = date_format(timezone.localtime(leg.start), "H:i")
            assert f"{leg_time} {flat(leg.service.localized_name(lang))}" in text
        assert flat(str(TEXT["interpreter_notice"])) in text
        assert flat(str(TEXT["desk_legs"])) in text
        assert flat(str(TEXT["no_personal_data"])) in text


def test_url_fetcher_allows_only_data_and_static(settings, tmp_path):
    fetcher = StaticOnlyFetcher()
    static_css = (settings.BASE_DIR / "static" / "css" / "ticket.css").resolve()
    assert fetcher.fetch(static_css.as_uri()).read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    for url in [
        "http://example.com/x.png",
        "https://example.com/x.png",
        secret.as_uri(),
        "file:///etc/passwd",
        static_css.as_uri().replace("/css/ticket.css", "/../../bmip/settings.py"),
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_rendering_does_not_fetch_remote_resources(appt, monkeypatch):
    from scheduling.tickets import pdf as pdf_module

    refused = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except ValueError:
            refused.append(url)
            raise

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    html = '<p>x</p><img src="http://127.0.0.1:9/tracker.png"><img src="file:///etc/hostname">'
    assert pdf_module._render(html, TicketFormat.A4).startswith(b"%PDF")
    assert refused == ["http://127.0.0.1:9/tracker.png", "file:///etc/hostname"]


# --- downloads and permissions ----------------------------------------------------------


@pytest.fixture
def employer_setup(desk, next_monday):
    employer = factories.employer()
    other = factories.employer()
    group = GroupBooking.objects.create(
        employer=employer, location=desk, date_from=next_monday, date_to=next_monday
    )
    appts = [
        factories.appointment(
            loc=desk,
            start=factories.aware(next_monday, 9 + i),
            cl=factories.client(first_name=f"W{i}", employer=employer, language=lang),
            group_booking=group,
        )
        for i, lang in enumerate(["pl", "ro", "bg"])
    ]
    return employer, other, group, appts


def login(client, role, **tie):
    user = factories.user(role, **tie)
    client.force_login(user)
    return user


def test_employer_downloads_own_ticket_but_not_another_companys(client, employer_setup):
    employer, other, group, appts = employer_setup
    login(client, "employer", employer=employer)
    url = reverse("scheduling:appointment-ticket", args=[appts[0].booking_code])
    response = client.get(url + "?format=receipt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert appts[0].booking_code in pdf_text(response.getvalue())
    assert AuditLogEntry.objects.filter(action="ticket.download").count() == 1

    client.logout()
    login(client, "employer", employer=other)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/appointments/{appts[0].booking_code}/ticket.pdf").status_code == 404
    assert (
        client.get(reverse("scheduling:group-tickets", args=[group.reference])).status_code == 404
    )
    assert (
        client.get(
            reverse("scheduling:appointment-detail", args=[appts[0].booking_code])
        ).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_login(client, appt):
    response = client.get(reverse("scheduling:appointment-ticket", args=[appt.booking_code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/appointments/{appt.booking_code}/ticket.pdf").status_code in (
        401,
        403,
    )


def test_api_ticket_pdf_and_errors(client, desk, appt):
    login(client, "receptionist", location=desk)
    response = client.get(
        f"/api/v1/appointments/{appt.booking_code}/ticket.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    bad = client.get(f"/api/v1/appointments/{appt.booking_code}/ticket.pdf?paper=a3")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_format"
    missing = client.get("/api/v1/appointments/ZZZZZZZZ/ticket.pdf", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_cancelled_appointment_ticket_is_refused(client, desk, next_monday):
    appt = factories.appointment(
        loc=desk, start=factories.aware(next_monday, 10), status=AppointmentStatus.CANCELLED
    )
    login(client, "receptionist", location=desk)
    api = client.get(
        f"/api/v1/appointments/{appt.booking_code}/ticket.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert api.status_code == 409
    assert api.json()["code"] == "appointment_cancelled"
    html = client.get(reverse("scheduling:appointment-ticket", args=[appt.booking_code]))
    assert html.status_code == 409
    assert "This appointment was cancelled" in html.getvalue().decode()
    assert not AuditLogEntry.objects.filter(action="ticket.download").exists()


def test_staff_appointment_page_links_to_the_ticket(client, desk, appt):
    login(client, "officer", location=desk)
    page = client.get(reverse("scheduling:appointment-detail", args=[appt.booking_code]))
    assert page.status_code == 200
    body = page.getvalue().decode()
    assert reverse("scheduling:appointment-ticket", args=[appt.booking_code]) in body
    assert "format=receipt" in body
    other_desk = factories.location()
    client.logout()
    login(client, "officer", location=other_desk)
    assert (
        client.get(reverse("scheduling:appointment-detail", args=[appt.booking_code])).status_code
        == 404
    )


def test_small_group_pdf_has_cover_and_one_page_per_live_ticket(client, employer_setup):
    employer, _other, group, appts = employer_setup
    appts[1].status = AppointmentStatus.CANCELLED
    appts[1].save()
    login(client, "employer", employer=employer)
    response = client.get(reverse("scheduling:group-tickets", args=[group.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) == 3  # cover + two tickets (the cancelled one has none)
    cover = flat(reader.pages[0].extract_text())
    for appointment in appts:
        assert appointment.booking_code in cover
        assert appointment.client.first_name in cover
    assert "Dokumenty, które należy zabrać" in flat(reader.pages[1].extract_text())
    assert "Документи, които да носите" in flat(reader.pages[2].extract_text())


@override_settings(TICKET_GROUP_SYNC_MAX=2)
def test_large_group_is_built_in_background_with_progress(
    client, employer_setup, django_capture_on_commit_callbacks
):
    employer, _other, group, appts = employer_setup
    login(client, "employer", employer=employer)
    url = reverse("scheduling:group-tickets", args=[group.reference])
    status_url = reverse("scheduling:group-tickets-status", args=[group.reference])
    page = client.get(url)
    assert page.status_code == 200 and b"Prepare the tickets PDF" in page.getvalue()
    assert client.get(status_url).json()["status"] == "none"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(url).status_code == 302
    assert len(callbacks) == 1  # the build is enqueued after commit (and ran: sync broker)
    status = client.get(status_url).json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["progress"] == status["total"] == 3
    download = client.get(status["download_url"])
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 4
    assert status["download_url"].encode() in client.get(url).getvalue()

    # Asking again for the unchanged group reuses the batch and builds nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert callbacks == [] and TicketBatch.objects.count() == 1

    # Re-running the task is a no-op; a changed group gets a new batch.
    batch = TicketBatch.objects.get()
    before = batch.file.name
    assert ticket_batch_build(batch_id=batch.pk).file.name == before
    appts[0].status = AppointmentStatus.CANCELLED
    appts[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert TicketBatch.objects.count() == 2
    latest = client.get(status_url).json()
    new_pdf = b"".join(client.get(latest["download_url"]).streaming_content)
    assert len(pypdf.PdfReader(io.BytesIO(new_pdf)).pages) == 3


def test_batch_build_rerun_after_interruption_and_failure(employer_setup, monkeypatch):
    _employer, _other, group, _appts = employer_setup
    batch = TicketBatch.objects.create(
        group_booking=group, fingerprint="x", language="en", status=TicketBatchStatus.RUNNING
    )
    seen = []
    from scheduling.tickets import services as svc

    real = svc.group_pdf_render

    def spy(*args, progress=None, **kwargs):
        def record(done, total):
            seen.append(TicketBatch.objects.get(pk=batch.pk).status)
            progress(done, total)

        return real(*args, progress=record, **kwargs)

    monkeypatch.setattr(svc, "group_pdf_render", spy)
    built = ticket_batch_build(batch_id=batch.pk)
    assert built.status == TicketBatchStatus.DONE and built.progress == 3
    assert seen and set(seen) == {TicketBatchStatus.RUNNING}

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    failing = TicketBatch.objects.create(group_booking=group, fingerprint="y", language="en")
    monkeypatch.setattr(svc, "group_pdf_render", boom)
    with pytest.raises(RuntimeError):
        ticket_batch_build(batch_id=failing.pk)
    failing.refresh_from_db()
    assert failing.status == TicketBatchStatus.FAILED and "disk full" in failing.error
    assert ticket_batch_build(batch_id=999999) is None


@override_settings(TICKET_GROUP_SYNC_MAX=1)
def test_group_page_shows_progress_of_a_running_build(client, employer_setup):
    from scheduling.tickets.services import group_tickets_fingerprint

    employer, _other, group, _appts = employer_setup
    TicketBatch.objects.create(
        group_booking=group,
        fingerprint=group_tickets_fingerprint(group),
        language="en",
        status=TicketBatchStatus.RUNNING,
        progress=1,
        total=3,
    )
    login(client, "employer", employer=employer)
    page = client.get(reverse("scheduling:group-tickets", args=[group.reference]))
    body = page.getvalue().decode()
    assert 'value="33"' in body and "1 / 3" in body
    assert "group-tickets-status" not in body  # the URL, not the name, is in the page
    assert reverse("scheduling:group-tickets-status", args=[group.reference]) in body
    assert "Prepare the tickets PDF" not in body  # no second request while one is running
    status = client.get(reverse("scheduling:group-tickets-status", args=[group.reference])).json()
    assert status == {
        "status": "running",
        "status_label": "Being built",
        "progress": 1,
        "total": 3,
        "percent": 33,
        "download_url": None,
    }


def test_unsupported_client_language_falls_back_to_english(desk, next_monday):
    from scheduling.tickets.pdf import ticket_language

    assert ticket_language("pt-br") == "pt"
    assert ticket_language("de") == "en"
    assert ticket_language("") == "en"
    client = factories.client(language="de", nationality="DE")
    appt = factories.appointment(loc=desk, start=factories.aware(next_monday, 10), cl=client)
    text = flat(pdf_text(ticket_pdf_for_appointment(appointment=appt, fmt="a4", actor=None)))
    assert "Documents to bring" in text and "Monday" in text
