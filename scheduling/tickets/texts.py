"""Client-facing ticket texts and the documents-to-bring checklist.

Every string has the message context ``ticket`` so the ticket's translations stay apart from
staff-screen strings with the same English text. The checklist follows
``docs/domain.md`` and is keyed by ``ServiceCategory`` (not by service code), so a
coordinator's new service of a known category gets the right list.
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from scheduling.constants import ServiceCategory

CTX = "ticket"  # written out in every call below so that makemessages extracts the context


TEXT = {
    "title": pgettext_lazy("ticket", "Your appointment ticket"),
    "booking_code": pgettext_lazy("ticket", "Booking code"),
    "date": pgettext_lazy("ticket", "Date"),
    "time": pgettext_lazy("ticket", "Time"),
    "address": pgettext_lazy("ticket", "Address"),
    "your_visit": pgettext_lazy("ticket", "Your visit, in this order"),
    "bring_heading": pgettext_lazy("ticket", "Documents to bring"),
    "bring_always": pgettext_lazy("ticket", "For every service"),
    "interpreter_heading": pgettext_lazy("ticket", "Interpreter"),
    "interpreter_notice": pgettext_lazy(
        "ticket",
        "You told us you need an interpreter. Please bring an adult interpreter who speaks "
        "Dutch, English or German. Without an interpreter we may not be able to help you.",
    ),
    "desk_heading": pgettext_lazy("ticket", "What happens at the desk"),
    "desk_arrive": pgettext_lazy("ticket", "Come 10 minutes before your time."),
    "desk_scan": pgettext_lazy(
        "ticket", "Scan the QR code at the kiosk at the entrance, or type your booking code."
    ),
    "desk_number": pgettext_lazy(
        "ticket", "You receive a queue number. Watch the screen: it shows your number and counter."
    ),
    "desk_legs": pgettext_lazy(
        "ticket", "Each service takes place at its own counter, in the order shown on this ticket."
    ),
    "desk_free": pgettext_lazy("ticket", "Government services at the desk are free of charge."),
    "scan_hint": pgettext_lazy("ticket", "Show this code at the kiosk"),
    "no_personal_data": pgettext_lazy("ticket", "This QR code contains no personal data."),
    "cancelled": pgettext_lazy(
        "ticket", "This appointment was cancelled. This ticket is no longer valid."
    ),
}

# Staff and employer screens (nl/en).
STAFF_TEXT = {
    "bad_format": pgettext_lazy("ticket", "Unknown ticket format. Choose one of: %(choices)s."),
}

ID_DOCUMENT = pgettext_lazy(
    "ticket", "A valid passport or identity card (a driving licence is not accepted)."
)
ACCOMMODATION = pgettext_lazy(
    "ticket",
    "Proof of accommodation: a rental contract, a deed of ownership, or a statement from the "
    "main occupant with a copy of their passport or identity card.",
)
BIRTH_CERTIFICATE_EU = pgettext_lazy(
    "ticket",
    "Your birth certificate. A document from an EU country needs no apostille; bring the "
    "multilingual EU form if you have one.",
)
BIRTH_CERTIFICATE_OTHER = pgettext_lazy(
    "ticket",
    "Your birth certificate, legalised or with an apostille, and possibly a sworn translation "
    "into Dutch, English, French or German.",
)
IND_RESIDENCE_DOCUMENT = pgettext_lazy(
    "ticket",
    "Your IND residence document, or the IND letter about your application (proof of lawful "
    "residence).",
)
ADDRESS_ABROAD = pgettext_lazy("ticket", "Your address in your home country.")
EMPLOYMENT_CONTRACT = pgettext_lazy(
    "ticket", "Your employment contract or a statement from your employer."
)
A1_CERTIFICATE = pgettext_lazy("ticket", "Posted workers: your A1 certificate, if you have one.")
BANK_ACCOUNT = pgettext_lazy("ticket", "Your bank account number (IBAN), if you have one.")
BSN_LETTER = pgettext_lazy("ticket", "Your BSN (citizen service number), if you already have one.")
INCOME_PROOF = pgettext_lazy("ticket", "Your most recent payslip or proof of your income.")


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
