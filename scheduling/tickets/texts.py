"""Client-facing ticket texts and the documents-to-bring checklist.

Every string has the message context ``ticket`` so the ticket's translations stay apart from
staff-screen strings with the same English text. The checklist follows
``reference/DOMAIN.md`` and is keyed by ``ServiceCategory`` (not by service code), so a
coordinator's new service of a known category gets the right list.
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from scheduling.constants import ServiceCategory

CTX = "ticket"


def _(text: str):
    return pgettext_lazy(CTX, text)


TEXT = {
    "title": _("Your appointment ticket"),
    "booking_code": _("Booking code"),
    "date": _("Date"),
    "time": _("Time"),
    "address": _("Address"),
    "your_visit": _("Your visit, in this order"),
    "bring_heading": _("Documents to bring"),
    "bring_always": _("For every service"),
    "interpreter_heading": _("Interpreter"),
    "interpreter_notice": _(
        "You told us you need an interpreter. Please bring an adult interpreter who speaks "
        "Dutch, English or German. Without an interpreter we may not be able to help you."
    ),
    "desk_heading": _("What happens at the desk"),
    "desk_arrive": _("Come 10 minutes before your time."),
    "desk_scan": _("Scan the QR code at the kiosk at the entrance, or type your booking code."),
    "desk_number": _(
        "You receive a queue number. Watch the screen: it shows your number and counter."
    ),
    "desk_legs": _(
        "Each service takes place at its own counter, in the order shown on this ticket."
    ),
    "desk_free": _("Government services at the desk are free of charge."),
    "scan_hint": _("Show this code at the kiosk"),
    "no_personal_data": _("This QR code contains no personal data."),
    "cancelled": _("This appointment was cancelled. This ticket is no longer valid."),
}

# Staff and employer screens (nl/en).
STAFF_TEXT = {
    "bad_format": _("Unknown ticket format. Choose one of: %(choices)s."),
}

ID_DOCUMENT = _("A valid passport or identity card (a driving licence is not accepted).")
ACCOMMODATION = _(
    "Proof of accommodation: a rental contract, a deed of ownership, or a statement from the "
    "main occupant with a copy of their passport or identity card."
)
BIRTH_CERTIFICATE_EU = _(
    "Your birth certificate. A document from an EU country needs no apostille; bring the "
    "multilingual EU form if you have one."
)
BIRTH_CERTIFICATE_OTHER = _(
    "Your birth certificate, legalised or with an apostille, and possibly a sworn translation "
    "into Dutch, English, French or German."
)
IND_RESIDENCE_DOCUMENT = _(
    "Your IND residence document, or the IND letter about your application (proof of lawful "
    "residence)."
)
ADDRESS_ABROAD = _("Your address in your home country.")
EMPLOYMENT_CONTRACT = _("Your employment contract or a statement from your employer.")
A1_CERTIFICATE = _("Posted workers: your A1 certificate, if you have one.")
BANK_ACCOUNT = _("Your bank account number (IBAN), if you have one.")
BSN_LETTER = _("Your BSN (citizen service number), if you already have one.")
INCOME_PROOF = _("Your most recent payslip or proof of your income.")


def documents_for(category: str, *, is_eu: bool) -> list:
    """What to bring for one service, on top of the passport or identity card."""
    if category == ServiceCategory.REGISTRATION_BRP:
        docs = [ACCOMMODATION, BIRTH_CERTIFICATE_EU if is_eu else BIRTH_CERTIFICATE_OTHER]
        return docs if is_eu else [*docs, IND_RESIDENCE_DOCUMENT]
    if category == ServiceCategory.REGISTRATION_RNI:
        return [ADDRESS_ABROAD] if is_eu else [ADDRESS_ABROAD, IND_RESIDENCE_DOCUMENT]
    if category == ServiceCategory.HEALTH_INSURANCE:
        return [EMPLOYMENT_CONTRACT, A1_CERTIFICATE, BANK_ACCOUNT]
    if category == ServiceCategory.IND_REFERRAL:
        return [IND_RESIDENCE_DOCUMENT, EMPLOYMENT_CONTRACT]
    if category == ServiceCategory.WORK_PERMIT:
        return [EMPLOYMENT_CONTRACT]
    if category == ServiceCategory.ALLOWANCE:
        return [BSN_LETTER, BANK_ACCOUNT, INCOME_PROOF]
    return []


@dataclass(frozen=True)
class ServiceDocuments:
    service_name: str
    documents: list[str]


def documents_checklist(services, *, is_eu: bool, language: str) -> list[ServiceDocuments]:
    """Per service in visit order, the documents not already listed for an earlier service."""
    seen: set[str] = set()
    checklist = []
    for service in services:
        docs = []
        for doc in documents_for(service.category, is_eu=is_eu):
            text = str(doc)
            if text not in seen:
                seen.add(text)
                docs.append(text)
        if docs:
            checklist.append(ServiceDocuments(service.localized_name(language), docs))
    return checklist


def all_ticket_strings() -> list:
    """Every translatable ticket string (used by the translation-completeness test)."""
    return [
        *TEXT.values(),
        ID_DOCUMENT,
        ACCOMMODATION,
        BIRTH_CERTIFICATE_EU,
        BIRTH_CERTIFICATE_OTHER,
        IND_RESIDENCE_DOCUMENT,
        ADDRESS_ABROAD,
        EMPLOYMENT_CONTRACT,
        A1_CERTIFICATE,
        BANK_ACCOUNT,
        BSN_LETTER,
        INCOME_PROOF,
    ]
