"""Demo data of the advice app (settings.DEMO_SEEDERS): a case handler of the intervention
team, a few advice entries and reports. Idempotent."""

from dataclasses import dataclass, field

from django.db import transaction

from advice.constants import ReportCategory, ReportChannel
from advice.models import AdviceEntry, AdviceTopic, HandlingOrganisation, Report
from advice.services.advice_log import advice_entry_record
from advice.services.reports import handler_user_upsert, report_submit
from core.roles import Role
from scheduling.models import Location, Municipality
from scheduling.services.demo import DEMO_PASSWORD  # one password for every demo login


@dataclass
class DemoResult:
    created_appointments: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


@transaction.atomic
def advice_demo_seed() -> DemoResult:
    result = DemoResult()
    team = HandlingOrganisation.objects.filter(is_default=True).first()
    if team is None:
        return result
    handler_user_upsert(username="handler", password=DEMO_PASSWORD, organisation=team)
    result.logins.append(("handler", DEMO_PASSWORD, f"{Role.HANDLER.label} ({team})"))
    location = Location.objects.filter(is_active=True).order_by("pk").first()
    if not AdviceEntry.objects.exists():
        topics = list(AdviceTopic.objects.filter(is_active=True))
        for index, language in enumerate(["pl", "ro", "bg", "pl", "uk", "en"]):
            advice_entry_record(
                topic=topics[index % len(topics)], language=language, location=location, actor=None
            )
    if not Report.objects.exists():
        tilburg = Municipality.objects.filter(cbs_code="GM0855").first()
        report_submit(
            channel=ReportChannel.WEB,
            category=ReportCategory.HOUSING,
            description="Twelve people share a house with four beds; the rent is kept from wages.",
            municipality=tilburg,
            address="Demo street 1",
            concerned_party="Demo Housing B.V.",
            language="pl",
        )
        report_submit(
            channel=ReportChannel.COUNTER,
            category=ReportCategory.WORK,
            description="Overtime is not paid; passports are kept by the agency.",
            municipality=tilburg,
            location=location,
        )
    return result
