"""Ticket PDFs: one HTML template + print CSS, rendered by weasyprint.

Rendered through ``core.pdf`` (one font configuration per process, stylesheets parsed once,
only ``data:`` URLs and static files fetched). A group PDF is laid out in chunks and written
as one document.
"""

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from core.dates import date_long
from core.pdf import pdf_layout, stylesheet
from scheduling.constants import LegState
from scheduling.models import Appointment, GroupBooking
from scheduling.tickets.qr import PDF_BOX_SIZE, qr_render
from scheduling.tickets.texts import ID_DOCUMENT, TEXT, documents_checklist
from scheduling.tokens import ticket_token_make

logger = logging.getLogger(__name__)


class TicketFormat:
    A4 = "a4"
    RECEIPT = "receipt"
    ALL = (A4, RECEIPT)


# Receipt printers print on 80 mm rolls; the page is as long as the content needs.
RECEIPT_WIDTH_MM = 80
RECEIPT_MAX_HEIGHT_MM = 600
_PX_PER_MM = 96 / 25.4


@functools.cache
def _stylesheets(fmt: str) -> list:
    """The shared print CSS plus the page size of the format (parsed once per process)."""
    if fmt == TicketFormat.RECEIPT:
        page = f"@page {{ size: {RECEIPT_WIDTH_MM}mm {RECEIPT_MAX_HEIGHT_MM}mm; margin: 4mm 3mm; }}"
    else:
        page = "@page { size: A4; margin: 15mm 16mm; }"
    return [stylesheet("css/ticket.css"), stylesheet(css=page)]


@dataclass
class TicketView:
    """Everything one printed ticket shows, already in the client's language."""

    booking_code: str
    language: str
    qr_data_url: str
    qr_version: int
    token: str
    date: str
    time: str
    location_name: str
    address: str
    legs: list[dict] = field(default_factory=list)
    id_document: str = ""
    checklist: list = field(default_factory=list)
    interpreter: bool = False
    text: dict = field(default_factory=dict)


def _legs(appointment: Appointment):
    # Uses a prefetched ``legs`` relation when the caller prepared one.
    legs = [leg for leg in appointment.legs.all() if leg.state != LegState.CANCELLED]
    return sorted(legs, key=lambda leg: leg.position)


def ticket_language(language: str | None) -> str:
    """The client's language if the system speaks it (pt-br -> pt), else English."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return "en"


def ticket_view_build(appointment: Appointment) -> TicketView:
    """The ticket's content in the client's language (call inside no particular override)."""
    client = appointment.client
    with translation.override(ticket_language(client.language)):
        lang = translation.get_language()
        legs = _legs(appointment)
        start = timezone.localtime(appointment.start or legs[0].start) if legs else None
        bus = appointment.bus_visit
        token = ticket_token_make(appointment)
        qr = qr_render(token, box_size=PDF_BOX_SIZE)
        return TicketView(
            booking_code=appointment.booking_code,
            language=lang,
            qr_data_url=qr.data_url,
            qr_version=qr.version,
            token=token,
            date=date_long(start) if start else "",
            time=date_format(start, "H:i") if start else "",
            location_name=(
                f"{appointment.location.name} · {bus.site_name}"
                if bus
                else appointment.location.name
            ),
            address=bus.address if bus else appointment.location.full_address,
            legs=[
                {
                    "position": i,
                    "time": date_format(timezone.localtime(leg.start), "H:i") if leg.start else "",
                    "service": leg.service.localized_name(lang),
                }
                for i, leg in enumerate(legs, start=1)
            ],
            id_document=str(ID_DOCUMENT),
            checklist=documents_checklist(
                [leg.service for leg in legs], is_eu=client.is_eu, language=lang
            ),
            interpreter=client.interpreter_needed,
            text={key: str(value) for key, value in TEXT.items()},
        )


def _layout(html: str, fmt: str):
    return pdf_layout(html, stylesheets=_stylesheets(fmt))


def _render(html: str, fmt: str) -> bytes:
    return _document(html, fmt).write_pdf()


def _document(html: str, fmt: str):
    document = _layout(html, fmt)
    if fmt == TicketFormat.RECEIPT:
        _trim_receipt(document)
    return document


def _trim_receipt(document) -> None:
    """Cut each receipt page just below its content (a roll has no fixed page length)."""
    margin = 4 * _PX_PER_MM
    for page in document.pages:
        try:  # weasyprint's box tree is internal: if it changes, keep the full roll length
            roots = [box for box in page._page_box.children if type(box).__name__ == "BlockBox"]
            bottom = max((box.position_y + box.margin_height() for box in roots), default=0)
        except (AttributeError, TypeError):
            logger.warning("ticket pdf: could not measure the receipt; printing full length")
            continue
        if bottom > 0:
            page.height = min(page.height, bottom + margin)


def ticket_pdf_document(appointment: Appointment, *, fmt: str = TicketFormat.A4):
    """One ticket laid out (a weasyprint ``Document``): ``ticket_pdf_render`` writes it."""
    if fmt not in TicketFormat.ALL:
        raise ValueError(f"unknown ticket format {fmt!r}")
    view = ticket_view_build(appointment)
    html = render_to_string(
        "scheduling/tickets/document.html",
        {"tickets": [view], "fmt": fmt, "lang": view.language},
    )
    return _document(html, fmt)


def ticket_pdf_render(appointment: Appointment, *, fmt: str = TicketFormat.A4) -> bytes:
    """One ticket as PDF. The caller checks permission and refuses cancelled appointments
    (``scheduling.tickets.services``)."""
    return ticket_pdf_document(appointment, fmt=fmt).write_pdf()


@dataclass
class CoverRow:
    name: str
    booking_code: str
    date: dt.date | None
    time: str
    location: str
    status: str
    cancelled: bool


GROUP_CHUNK = 10  # tickets laid out per step (progress is reported after each step)


def group_pdf_render(
    group: GroupBooking,
    appointments: Iterable[Appointment],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Employer cover sheet (in the current language: the employer's nl/en) plus one ticket
    page per appointment that is not cancelled, each in its worker's language.

    Tickets are laid out in chunks of ``GROUP_CHUNK`` (one HTML document each, page breaks
    between tickets) so progress is real, then all pages are written as one PDF with the
    fonts embedded once."""
    appointments = list(appointments)
    rows = []
    for appointment in appointments:
        start = timezone.localtime(appointment.start) if appointment.start else None
        rows.append(
            CoverRow(
                name=str(appointment.client),
                booking_code=appointment.booking_code,
                date=start.date() if start else None,
                time=date_format(start, "H:i") if start else "",
                location=appointment.location.name,
                status=appointment.get_status_display(),
                cancelled=appointment.is_cancelled,
            )
        )
    printable = [a for a in appointments if not a.is_cancelled]
    context = {"fmt": TicketFormat.A4, "lang": translation.get_language()}
    cover = {"group": group, "rows": rows, "ticket_count": len(printable)}
    documents = [
        _layout(
            render_to_string(
                "scheduling/tickets/document.html", {**context, "tickets": [], "cover": cover}
            ),
            TicketFormat.A4,
        )
    ]
    total = len(printable)
    for offset in range(0, total, GROUP_CHUNK):
        views = [ticket_view_build(a) for a in printable[offset : offset + GROUP_CHUNK]]
        html = render_to_string("scheduling/tickets/document.html", {**context, "tickets": views})
        documents.append(_layout(html, TicketFormat.A4))
        if progress:
            progress(min(offset + GROUP_CHUNK, total), total)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
