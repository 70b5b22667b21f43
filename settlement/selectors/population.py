"""CBS population figures as settlement reads them (per-inhabitant contributions and the
cost split): the latest figure of a year or before, and the error naming who lacks one."""

from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from scheduling.models import PopulationFigure
from settlement.errors import SettlementError


def population_for(municipality_ids, year: int) -> dict[int, int]:
    """Latest CBS population figure per municipality for ``year`` (or the last year before)."""
    figures = {}
    rows = (
        PopulationFigure.objects.filter(municipality_id__in=municipality_ids, year__lte=year)
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "population")
    )
    for municipality_id, population in rows:
        figures.setdefault(municipality_id, population)
    return figures


def missing_population_error(municipalities, year: int) -> ValidationFailed:
    names = ", ".join(f"{m.name} ({m.cbs_code})" for m in municipalities)
    return ValidationFailed(
        _(
            "No CBS population figure for %(year)s (or earlier) for: %(names)s. Import the "
            "population (manage.py import_population) first."
        )
        % {"year": year, "names": names},
        code=SettlementError.POPULATION_MISSING,
        details={"municipalities": [m.cbs_code for m in municipalities], "year": year},
    )
