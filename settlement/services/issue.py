"""Issuing a period's statements (freezing them) and recording payments against them.

Issuing a period, in one transaction with the period row locked:
1. refuse when already issued, not yet ended, an earlier period with lines is still open, or
   registrations of the period are still pending (see ``pending_registration_legs``);
2. book the yearly per-inhabitant contributions due in the period;
3. compute every involved municipality's totals with SQL aggregates;
4. check the invariant: the nets of all municipalities sum to exactly 0.00, and every line is
   on exactly two statements (its payer's and its payee's);
5. draw gapless numbers per year (``core.sequences`` + unique constraint), hash each
   statement's content (SHA-256), store the statements and close the period.
Any refusal raises a domain error with a stable code and writes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.locking import row_lock
from core.money import assert_money
from core.sequences import sequence_next_block
from scheduling.models import Municipality
from settlement.errors import SettlementError
from settlement.models import (
    SettlementLine,
    SettlementPayment,
    SettlementPeriod,
    Statement,
)
from settlement.selectors.statements import (
    ZERO,
    counterparties_sorted,
    header_canonical,
    money,
    pending_registration_legs,
    period_content_hashes,
    period_totals,
    statement_balance,
)
from settlement.services.config import settlement_contributions_book


def statement_numbers_draw(*, year: int, count: int) -> list[tuple[int, str]]:
    """Draw ``count`` statement numbers of ``year`` (gapless, ``YYYY-NNNNN``).

    From the year's sequence (``core.sequences``), inside the transaction that stores the
    statements: a rollback gives the numbers back. The unique constraint on
    (year, sequence) is the backstop.
    """
    return [(n, f"{year}-{n:05d}") for n in sequence_next_block(f"statement:{year}", count)]


class InvariantViolated(Conflict):
    code = "invariant_violated"


def _check_invariant(period: SettlementPeriod, totals: dict) -> None:
    """Independent aggregates must agree with the per-statement totals."""
    nets_sum = sum(
        (sum((c.net for c in parties.values()), ZERO) for parties in totals.values()), ZERO
    )
    if nets_sum != 0:
        raise InvariantViolated(
            _("The nets of period %(period)s sum to %(sum)s instead of 0.00.")
            % {"period": period.label, "sum": nets_sum}
        )
    lines = SettlementLine.objects.filter(period=period)
    grand = lines.aggregate(n=Count("id"), total=Sum("amount"))
    by_payer = {
        r["payer_id"]: r for r in lines.values("payer_id").annotate(n=Count("id"), t=Sum("amount"))
    }
    by_payee = {
        r["payee_id"]: r for r in lines.values("payee_id").annotate(n=Count("id"), t=Sum("amount"))
    }
    statement_lines = sum(c.lines for parties in totals.values() for c in parties.values())
    if statement_lines != 2 * grand["n"] or set(by_payer) | set(by_payee) != set(totals):
        raise InvariantViolated(
            _("Period %(period)s: not every line is on exactly two statements.")
            % {"period": period.label}
        )
    receivable_sum = sum((money(r["t"]) for r in by_payee.values()), ZERO)
    payable_sum = sum((money(r["t"]) for r in by_payer.values()), ZERO)
    if not (receivable_sum == payable_sum == money(grand["total"])):
        raise InvariantViolated(
            _("Period %(period)s: receivables and payables do not balance.")
            % {"period": period.label}
        )
    for mid, parties in totals.items():
        receivable = sum((c.receivable for c in parties.values()), ZERO)
        payable = sum((c.payable for c in parties.values()), ZERO)
        if receivable != money(by_payee.get(mid, {}).get("t")) or payable != money(
            by_payer.get(mid, {}).get("t")
        ):
            raise InvariantViolated(
                _("Period %(period)s: a statement's totals disagree with its lines.")
                % {"period": period.label}
            )


@transaction.atomic
def settlement_period_issue(
    *,
    period: SettlementPeriod,
    actor,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Statement]:
    """Issue (freeze) the statements of every municipality with lines in ``period``.

    ``now`` (default: the clock) is the issue time; ``today`` (default: the day of ``now``)
    decides whether the period has ended.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = row_lock(SettlementPeriod.objects.filter(pk=period.pk))
    if not period.is_open:
        raise Conflict(
            _("The statements of period %(period)s have already been issued.")
            % {"period": period.label},
            code=SettlementError.PERIOD_ALREADY_ISSUED,
        )
    if period.end >= today:
        raise Conflict(
            _("Period %(period)s has not ended yet; it can be issued from %(day)s.")
            % {"period": period.label, "day": (period.end + dt.timedelta(days=1)).isoformat()},
            code=CoreError.PERIOD_NOT_ENDED,
        )
    earlier = (
        SettlementPeriod.objects.filter(start__lt=period.start, issued_at__isnull=True)
        .filter(lines__isnull=False)
        .order_by("start")
        .first()
    )
    if earlier is not None:
        raise Conflict(
            _("Issue period %(earlier)s first.") % {"earlier": earlier.label},
            code=SettlementError.EARLIER_PERIOD_OPEN,
        )
    pending = pending_registration_legs(period).count()
    if pending:
        raise Conflict(
            _(
                "Period %(period)s still has %(count)d registration(s) that are not finalised "
                "(legs planned or in progress, or done without a record). Finish, cancel or "
                "mark them as no-show first."
            )
            % {"period": period.label, "count": pending},
            code=SettlementError.REGISTRATIONS_PENDING,
            details={"pending": pending},
        )
    settlement_contributions_book(period=period, actor=actor)

    totals = period_totals(period)
    _check_invariant(period, totals)

    issue_date = timezone.localdate(now)
    municipalities = Municipality.objects.in_bulk(list(totals))
    order = sorted(totals, key=lambda mid: municipalities[mid].cbs_code)
    numbers = statement_numbers_draw(year=issue_date.year, count=len(order))
    statements, headers = [], {}
    for mid, (sequence, number) in zip(order, numbers, strict=True):
        parties = [c.as_json() for c in counterparties_sorted(totals[mid])]
        receivable = sum((c.receivable for c in totals[mid].values()), ZERO)
        payable = sum((c.payable for c in totals[mid].values()), ZERO)
        statement = Statement(
            municipality_id=mid,
            period=period,
            year=issue_date.year,
            sequence=sequence,
            number=number,
            issued_at=now,
            issue_date=issue_date,
            receivable_total=receivable,
            payable_total=payable,
            net_total=receivable - payable,
            line_count=sum(c.lines for c in totals[mid].values()),
            counterparties=parties,
        )
        headers[mid] = header_canonical(
            number=number,
            municipality_code=municipalities[mid].cbs_code,
            period_label=period.label,
            totals={"receivable": receivable, "payable": payable, "net": receivable - payable},
            parties=parties,
        )
        statements.append(statement)
    hashes = period_content_hashes(period, headers)
    for statement in statements:
        statement.content_hash = hashes[statement.municipality_id]
    Statement.objects.bulk_create(statements)
    closed = SettlementPeriod.objects.filter(pk=period.pk, issued_at__isnull=True).update(
        issued_at=now, issued_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    if closed != 1:  # pragma: no cover - the row lock makes this unreachable
        raise Conflict(_("The period changed while it was being issued."), code=CoreError.BUSY)
    audit_log(
        actor=actor,
        action="settlement_period.issue",
        obj=period,
        statements=len(statements),
        numbers=[s.number for s in statements[:1] + statements[-1:]],
    )
    return statements


@transaction.atomic
def settlement_payment_record(
    *,
    statement: Statement,
    amount: Decimal,
    received_on: dt.date,
    reference: str,
    actor,
    today: dt.date | None = None,
) -> SettlementPayment:
    """Record money received from a municipality against its issued statement (received on
    or before ``today``, default: the clock)."""
    assert_money(amount)
    reference = (reference or "").strip()
    if amount <= 0:
        raise ValidationFailed(
            _("A payment must be more than EUR 0.00."), code=SettlementError.PAYMENT_NOT_POSITIVE
        )
    if not reference:
        raise ValidationFailed(
            _("A payment needs a reference."), code=SettlementError.PAYMENT_REFERENCE_MISSING
        )
    if received_on > (today or timezone.localdate()):
        raise ValidationFailed(
            _("A payment cannot be received in the future."), code=SettlementError.PAYMENT_IN_FUTURE
        )
    statement = row_lock(Statement.objects.filter(pk=statement.pk))
    balance = statement_balance(statement)
    if balance["due"] == 0:
        raise Conflict(
            _("Statement %(number)s has nothing to pay: %(name)s is owed money.")
            % {"number": statement.number, "name": statement.municipality.name},
            code=SettlementError.NOTHING_DUE,
        )
    if amount > balance["open"]:
        raise ValidationFailed(
            _("The payment of EUR %(amount)s exceeds the open amount of EUR %(open)s.")
            % {"amount": amount, "open": balance["open"]},
            code=SettlementError.PAYMENT_EXCEEDS_OPEN,
        )
    payment = SettlementPayment.objects.create(
        statement=statement,
        amount=amount,
        received_on=received_on,
        reference=reference[:100],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="settlement_payment.record",
        obj=payment,
        statement=statement.number,
        amount=str(amount),
    )
    return payment
