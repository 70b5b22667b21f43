"""Prices of walk-in services, as far as the kiosk needs them: a fee-bearing (extra) service
shows its price and is issued at the reception desk only, never as a one-tap walk-in.

The prices live in counter's tariffs; kiosk reaches them through settings.SERVICE_PRICE_HOOKS
(core.hooks), never by importing counter."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from core.exceptions import Conflict, ValidationFailed
from core.hooks import hooks_call
from kiosk.errors import KioskError
from scheduling.models import ServiceType


def walk_in_prices(
    services: Iterable[ServiceType], on: dt.date | None = None
) -> dict[int, Decimal]:
    """{service id: price} of the fee-bearing services among ``services`` (empty: all free)."""
    services = list(services)
    prices: dict[int, Decimal] = {}
    if not services:
        return prices
    for answer in hooks_call("SERVICE_PRICE_HOOKS", services=services, on=on).values():
        prices.update(answer or {})
    return prices


def walk_in_paid_refuse(services: Iterable[ServiceType]) -> None:
    """Refuse a paid service as a kiosk walk-in: the price is agreed at the reception desk."""
    if walk_in_prices(services):
        raise Conflict(
            _("This is a paid service. Please go to the reception desk."),
            code=KioskError.PAID_AT_RECEPTION,
        )


def walk_in_price_confirmed_require(
    services: Iterable[ServiceType], *, confirmed: bool, on: dt.date | None = None
) -> None:
    """Refuse a paid walk-in at the reception unless the client was told the price of its
    paid services and agreed to pay it (``confirmed``)."""
    if confirmed:
        return
    total = sum(walk_in_prices(services, on=on).values(), Decimal("0"))
    if total:
        raise ValidationFailed(
            _("Confirm that the client agrees to pay EUR %(total)s for the paid services.")
            % {"total": formats.number_format(total, 2)},
            code=KioskError.PRICE_NOT_CONFIRMED,
        )
