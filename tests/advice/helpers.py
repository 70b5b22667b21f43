from advice.constants import ReportCategory, ReportChannel
from advice.services.reports import report_submit
from scheduling.models import Municipality


def a_report(**overrides):
    defaults = dict(
        channel=ReportChannel.WEB,
        category=ReportCategory.HOUSING,
        description="Ten people in one room; the rent is taken from the wages.",
        municipality=Municipality.objects.get(cbs_code="GM0855"),
        address="Voorbeeldstraat 1",
        concerned_party="Example Housing B.V.",
        reporter_name="Olena",
        reporter_contact="+31 6 1234 5678",
    )
    defaults.update(overrides)
    return report_submit(**defaults)
