"""The settlement tariff in force: a read, never a write. The default tariff (EUR 100.00 from
2019-01-01) is written by migration (counter 0005) and by ``settlement_defaults_ensure`` (the
demo seeder), never while reading."""

import datetime as dt

from django.utils.translation import gettext as _

from core.effective import effective_on
from core.exceptions import Conflict
from settlement.errors import SettlementError
from settlement.models import SettlementTariff


def tariff_for(day: dt.date) -> SettlementTariff:
    """The tariff in force on ``day``; none (never configured, or a gap between tariffs) is
    refused (``tariff_missing``), never guessed or created."""
    tariff = effective_on(SettlementTariff.objects.all(), day).first()
    if tariff is None:
        raise Conflict(
            _("No settlement tariff is in force on %(day)s; a coordinator must add one.")
            % {"day": day.isoformat()},
            code=SettlementError.TARIFF_MISSING,
        )
    return tariff
