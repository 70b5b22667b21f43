"""Settlement reads: statement totals (SQL aggregates), scoping, balances, ageing, netting.

Totals are computed by the database (``values().annotate(Sum)``), one grouped query per
period, never by looping over lines in Python.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.dates import days_bounds
from core.money import round_money
from core.organisations import due_date, iban_display
from core.roles import is_coordinator, user_municipality
from scheduling.constants import ACTIVE_APPOINTMENT_STATUSES, REGISTRATION_CATEGORIES, LegState
from scheduling.models import Leg, Municipality
from settlement.constants import DIRECTION_LABELS, PaymentStatus, line_label
from settlement.models import (
    MunicipalityPaymentDetails,
    SettlementLine,
    SettlementPayment,
    SettlementPeriod,
    Statement,
)

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def money(value: Decimal | None) -> Decimal:
    """A summed amount as money: no rows (None) is 0.00; rounded by ``core.money``."""
    return round_money(value if value is not None else ZERO)


# --- Statement totals ------------------------------------------------------------------------


@dataclass
class Counterparty:
    code: str
    name: str
    receivable: Decimal = ZERO
    payable: Decimal = ZERO
    lines: int = 0

    @property
    def net(self) -> Decimal:
        return self.receivable - self.payable

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "receivable": str(self.receivable),
            "payable": str(self.payable),
            "net": str(self.net),
            "lines": self.lines,
        }


@dataclass
class StatementView:
    """A statement as shown and exported: an issued one (frozen) or a computed draft."""

    municipality: Municipality
    period: SettlementPeriod
    counterparties: list[Counterparty] = field(default_factory=list)
    statement: Statement | None = None

    @property
    def is_issued(self) -> bool:
        return self.statement is not None

    @property
    def number(self) -> str:
        return self.statement.number if self.statement else ""

    @property
    def receivable_total(self) -> Decimal:
        return sum((c.receivable for c in self.counterparties), ZERO)

    @property
    def payable_total(self) -> Decimal:
        return sum((c.payable for c in self.counterparties), ZERO)

    @property
    def net_total(self) -> Decimal:
        return self.receivable_total - self.payable_total

    @property
    def amount_due(self) -> Decimal:
        net = self.net_total
        return -net if net < 0 else ZERO

    @property
    def line_count(self) -> int:
        return sum(c.lines for c in self.counterparties)


def period_totals(period: SettlementPeriod) -> dict[int, dict[int, Counterparty]]:
    """For every municipality with lines in ``period``: its counterparties with receivable,
    payable and line counts. One grouped SQL query over (payer, payee)."""
    rows = (
        SettlementLine.objects.filter(period=period)
        .values("payer_id", "payee_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )
    names = {m.pk: (m.cbs_code, m.name) for m in Municipality.objects.only("cbs_code", "name")}
    result: dict[int, dict[int, Counterparty]] = defaultdict(dict)

    def party(owner: int, other: int) -> Counterparty:
        if other not in result[owner]:
            result[owner][other] = Counterparty(*names[other])
        return result[owner][other]

    for row in rows:
        total = money(row["total"])
        receiving = party(row["payee_id"], row["payer_id"])
        receiving.receivable += total
        receiving.lines += row["n"]
        paying = party(row["payer_id"], row["payee_id"])
        paying.payable += total
        paying.lines += row["n"]
    return result


def counterparties_sorted(parties: dict[int, Counterparty]) -> list[Counterparty]:
    return sorted(parties.values(), key=lambda c: (c.name, c.code))


def statement_draft(*, municipality: Municipality, period: SettlementPeriod) -> StatementView:
    """The draft (computed, not stored) statement of ``municipality`` for ``period``."""
    rows = (
        SettlementLine.objects.filter(period=period)
        .filter(Q(payer=municipality) | Q(payee=municipality))
        .values("payer_id", "payee_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )
    parties: dict[int, Counterparty] = {}
    others = Municipality.objects.in_bulk(
        {r["payer_id"] for r in rows} | {r["payee_id"] for r in rows}
    )
    for row in rows:
        other_id = row["payer_id"] if row["payee_id"] == municipality.pk else row["payee_id"]
        other = others[other_id]
        party = parties.setdefault(other_id, Counterparty(other.cbs_code, other.name))
        if row["payee_id"] == municipality.pk:
            party.receivable += money(row["total"])
        else:
            party.payable += money(row["total"])
        party.lines += row["n"]
    return StatementView(
        municipality=municipality, period=period, counterparties=counterparties_sorted(parties)
    )


def statement_view(statement: Statement) -> StatementView:
    """The frozen view of an issued statement (from its stored snapshot)."""
    parties = [
        Counterparty(
            code=c["code"],
            name=c["name"],
            receivable=Decimal(c["receivable"]),
            payable=Decimal(c["payable"]),
            lines=c["lines"],
        )
        for c in statement.counterparties
    ]
    return StatementView(
        municipality=statement.municipality,
        period=statement.period,
        counterparties=parties,
        statement=statement,
    )


def lines_labelled(lines) -> list[SettlementLine]:
    """``lines`` (from ``statement_lines_signed``) as a list, each with ``label`` ("Registration
    BRP"), ``direction_label`` and ``signed_amount`` rounded: the labels translated once per
    page, not once per line."""
    labels: dict[tuple[str, str], str] = {}
    directions = {key: str(label) for key, label in DIRECTION_LABELS.items()}
    lines = list(lines)
    for line in lines:
        key = (line.kind, line.registration_kind or "")
        if key not in labels:
            labels[key] = line_label(*key)
        line.label = labels[key]
        line.direction_label = directions[line.direction]
        line.signed_amount = round_money(line.signed_amount)
    return lines


def statement_lines(*, municipality: Municipality, period: SettlementPeriod) -> QuerySet:
    return (
        SettlementLine.objects.filter(period=period)
        .filter(Q(payer=municipality) | Q(payee=municipality))
        .select_related("payer", "payee")
        .order_by("registration_date", "pk")
    )


def statement_lines_signed(*, municipality: Municipality, period: SettlementPeriod) -> QuerySet:
    """The statement's lines with the one sign convention of every statement output (web, PDF,
    CSV, XLSX, API; docs/settlement.md "Signs"): seen from ``municipality``, a line it receives
    (it is the payee) is positive, a line it pays negative. ``direction``: ``receivable`` or
    ``payable``; ``signed_amount``: the amount with that sign."""
    receives = Q(payee=municipality)
    return statement_lines(municipality=municipality, period=period).annotate(
        direction=Case(
            When(receives, then=Value("receivable")),
            default=Value("payable"),
            output_field=CharField(),
        ),
        signed_amount=Case(
            When(receives, then=F("amount")), default=-F("amount"), output_field=MONEY_FIELD
        ),
    )


# --- Content hash ----------------------------------------------------------------------------

LINE_HASH_FIELDS = (
    "pk",
    "kind",
    "payer_id",
    "payee_id",
    "amount",
    "reference",
    "registration_date",
    "registration_kind",
    "reverses_id",
)


def _cbs_codes() -> dict[int, str]:
    return dict(Municipality.objects.values_list("pk", "cbs_code"))


def _line_canonical(row, payer_code: str, payee_code: str) -> bytes:
    """One line as hashed: id|kind|payer CBS|payee CBS|amount|reference|date|kind|reverses."""
    pk, kind, _payer, _payee, amount, reference, day, reg_kind, reverses = row
    return (
        f"{pk}|{kind}|{payer_code}|{payee_code}|{amount}|{reference}|{day}|{reg_kind}|"
        f"{'' if reverses is None else reverses}\n"
    ).encode()


def header_canonical(
    *, number: str, municipality_code: str, period_label: str, totals: dict, parties: list
) -> bytes:
    head = [number, municipality_code, period_label]
    head += [str(totals["receivable"]), str(totals["payable"]), str(totals["net"])]
    head += [f"{p['code']}:{p['receivable']}:{p['payable']}:{p['lines']}" for p in parties]
    return ("|".join(head) + "\n").encode()


def period_content_hashes(period: SettlementPeriod, headers: dict[int, bytes]) -> dict[int, str]:
    """SHA-256 per municipality over its header and its lines (in id order): one pass over the
    period's lines, each line fed to its payer's and its payee's hash."""
    hashers = {mid: hashlib.sha256(header) for mid, header in headers.items()}
    codes = _cbs_codes()
    rows = (
        SettlementLine.objects.filter(period=period).order_by("pk").values_list(*LINE_HASH_FIELDS)
    )
    for row in rows.iterator(chunk_size=5000):
        data = _line_canonical(row, codes[row[2]], codes[row[3]])
        hashers[row[2]].update(data)
        hashers[row[3]].update(data)
    return {mid: h.hexdigest() for mid, h in hashers.items()}


def statement_header(statement: Statement) -> bytes:
    return header_canonical(
        number=statement.number,
        municipality_code=statement.municipality.cbs_code,
        period_label=statement.period.label,
        totals={
            "receivable": statement.receivable_total,
            "payable": statement.payable_total,
            "net": statement.net_total,
        },
        parties=statement.counterparties,
    )


def statement_verify(statement: Statement) -> bool:
    """Recompute the content hash of an issued statement; True when nothing changed. The
    payer's and payee's CBS codes come with the lines (no read of every municipality)."""
    hasher = hashlib.sha256(statement_header(statement))
    rows = (
        statement_lines(municipality=statement.municipality, period=statement.period)
        .order_by("pk")
        .values_list(*LINE_HASH_FIELDS, "payer__cbs_code", "payee__cbs_code")
    )
    for *row, payer_code, payee_code in rows.iterator(chunk_size=5000):
        hasher.update(_line_canonical(row, payer_code, payee_code))
    return hasher.hexdigest() == statement.content_hash


# --- Pending registrations -------------------------------------------------------------------


def pending_registration_legs(period: SettlementPeriod) -> QuerySet[Leg]:
    """Registration legs of ``period`` that are not finalised, so its statements would be
    incomplete: BRP/RNI legs (planned start, or actual start for walk-ins, inside the period)
    that are planned or in progress while the visit is still active, or done without a
    service record."""
    start, end = days_bounds(period.start, period.end)
    in_period = Q(start__gte=start, start__lt=end) | Q(
        start__isnull=True, started_at__gte=start, started_at__lt=end
    )
    unfinished = Q(
        state__in=(LegState.PLANNED, LegState.IN_PROGRESS),
        appointment__status__in=ACTIVE_APPOINTMENT_STATUSES,
    ) | Q(state=LegState.DONE, service_records__isnull=True)
    return Leg.objects.filter(service__category__in=REGISTRATION_CATEGORIES).filter(
        in_period & unfinished
    )


# --- Scoping ---------------------------------------------------------------------------------


def statements_for_user(user) -> QuerySet[Statement]:
    qs = Statement.objects.select_related("municipality", "period")
    if is_coordinator(user):
        return qs
    municipality = user_municipality(user)
    if municipality is not None:
        return qs.filter(municipality=municipality)
    return qs.none()


def lines_for_user(user) -> QuerySet[SettlementLine]:
    qs = SettlementLine.objects.select_related("payer", "payee", "period")
    if is_coordinator(user):
        return qs
    municipality = user_municipality(user)
    if municipality is not None:
        return qs.filter(Q(payer=municipality) | Q(payee=municipality))
    return qs.none()


def payments_for_user(user) -> QuerySet[SettlementPayment]:
    qs = SettlementPayment.objects.select_related(
        "statement", "statement__municipality", "statement__period"
    )
    if is_coordinator(user):
        return qs
    municipality = user_municipality(user)
    if municipality is not None:
        return qs.filter(statement__municipality=municipality)
    return qs.none()


def municipalities_for_user(user) -> QuerySet[Municipality]:
    if is_coordinator(user):
        return Municipality.objects.all()
    municipality = user_municipality(user)
    if municipality is not None:
        return Municipality.objects.filter(pk=municipality.pk)
    return Municipality.objects.none()


def statement_for_user_or_404(user, pk) -> Statement:
    statement = statements_for_user(user).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


# --- Balances and ageing ---------------------------------------------------------------------


def with_paid(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.annotate(
        paid=Coalesce(Sum("payments__amount"), Value(ZERO), output_field=MONEY_FIELD)
    )


def paid_of(statements) -> dict[int, Decimal]:
    """What was paid on each of ``statements`` (a page of them), in one query."""
    paid = dict(
        SettlementPayment.objects.filter(statement__in=[s.pk for s in statements])
        .values_list("statement")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {s.pk: money(paid.get(s.pk)) for s in statements}


def period_line_counts(periods) -> dict[int, int]:
    """The number of settlement lines of each of ``periods``, in one query."""
    return dict(
        SettlementLine.objects.filter(period__in=[p.pk for p in periods])
        .values_list("period")
        .annotate(n=Count("pk"))
        .order_by()
    )


def statement_balance(statement: Statement, payments: list | None = None) -> dict:
    """What is due, paid and open on ``statement``; ``payments``: its payments when the
    caller has read them already (summed here instead of read again)."""
    if payments is None:
        paid = money(statement.payments.aggregate(total=Sum("amount"))["total"])
    else:
        paid = money(sum((p.amount for p in payments), ZERO))
    return balance_of(statement, paid)


def balance_of(statement: Statement, paid: Decimal) -> dict:
    due = statement.amount_due
    open_amount = due - paid
    if due == 0:
        status = PaymentStatus.NOTHING_DUE
    elif open_amount == 0:
        status = PaymentStatus.PAID
    elif paid > 0:
        status = PaymentStatus.PARTIALLY_PAID
    else:
        status = PaymentStatus.OPEN
    return {
        "due": due,
        "paid": money(paid),
        "open": open_amount,
        "status": status,
        "status_label": PaymentStatus(status).label,
    }


AGEING_BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), (">90", 91, None))


def ageing_overview(*, municipalities: QuerySet[Municipality], today: dt.date | None = None):
    """What each municipality still owes, by days since the statement's issue date."""
    today = today or timezone.localdate()
    # Only the statements still open are read: the paid ones pile up with the years.
    statements = (
        with_paid(Statement.objects.filter(municipality__in=municipalities, net_total__lt=0))
        .filter(paid__lt=Value(ZERO, output_field=MONEY_FIELD) - F("net_total"))
        .select_related("municipality", "period")
    )
    rows: dict[int, dict] = {}
    for statement in statements:
        open_amount = statement.amount_due - money(statement.paid)
        if open_amount <= 0:
            continue
        row = rows.setdefault(
            statement.municipality_id,
            {
                "municipality": statement.municipality,
                "buckets": {name: ZERO for name, _a, _b in AGEING_BUCKETS},
                "total": ZERO,
            },
        )
        age = (today - statement.issue_date).days
        for name, low, high in AGEING_BUCKETS:
            if age >= low and (high is None or age <= high):
                row["buckets"][name] += open_amount
                break
        row["total"] += open_amount
    return sorted(rows.values(), key=lambda r: r["municipality"].name)


# --- Netting advice --------------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    payer: Municipality
    payee: Municipality
    amount: Decimal


def netting_advice(nets: dict[Municipality, Decimal]) -> list[Transfer]:
    """Who pays whom how much to settle the nets with few transfers (greedy min cash flow):
    repeatedly the largest debtor pays the largest creditor the smaller of the two amounts.
    At most n - 1 transfers; ties broken by CBS code, so the advice is deterministic."""
    if sum(nets.values(), ZERO) != 0:
        raise ValueError("Nets do not sum to zero.")
    balance = {m: v for m, v in nets.items() if v != 0}
    transfers = []
    while balance:
        creditor = max(balance, key=lambda m: (balance[m], m.cbs_code))
        debtor = min(balance, key=lambda m: (balance[m], m.cbs_code))
        amount = min(balance[creditor], -balance[debtor])
        transfers.append(Transfer(payer=debtor, payee=creditor, amount=amount))
        for m, delta in ((creditor, -amount), (debtor, amount)):
            balance[m] += delta
            if balance[m] == 0:
                del balance[m]
    return transfers


def statement_issuer() -> MunicipalityPaymentDetails | None:
    """The municipality printed as issuer on the statements (``issues_statements``), if set."""
    return (
        MunicipalityPaymentDetails.objects.filter(issues_statements=True)
        .select_related("municipality")
        .first()
    )


@dataclass(frozen=True)
class AdviceLine:
    """One transfer of the netting advice, seen from one municipality: it pays (``amount``
    negative) or receives (positive) ``counterparty``; into the payee's IBAN, by the due date
    (issue date + the payee's payment term), quoting the payer's statement number."""

    direction: str  # "pay" or "receive"
    counterparty: Municipality
    amount: Decimal
    payee_details: MunicipalityPaymentDetails | None
    due_date: dt.date | None
    reference: str

    @property
    def iban(self) -> str:
        return self.payee_details.iban if self.payee_details else ""

    @property
    def iban_display(self) -> str:
        return iban_display(self.iban)

    @property
    def bic(self) -> str:
        return self.payee_details.bic if self.payee_details else ""

    @property
    def account_holder(self) -> str:
        return self.payee_details.legal_name if self.payee_details else ""


def payment_advice(view: StatementView) -> list[AdviceLine]:
    """The netting advice of ``view``'s period that concerns its municipality: the transfers it
    makes or receives, never anyone else's. Empty for a draft (the nets still change)."""
    return payment_advice_many([view])[0]


def payment_advice_many(views: list[StatementView]) -> list[list[AdviceLine]]:
    """``payment_advice`` of each of ``views`` (a page of statements), in a few queries for
    all of them rather than a few per statement."""
    issued = [v for v in views if v.is_issued]
    periods = {v.period.pk: v.period for v in issued}
    closed = [pk for pk, period in periods.items() if not period.is_open]
    nets: dict[int, dict[Municipality, Decimal]] = {pk: {} for pk in closed}
    numbers: dict[int, dict[int, str]] = {pk: {} for pk in periods}
    for s in Statement.objects.filter(period__in=closed).select_related("municipality"):
        nets[s.period_id][s.municipality] = s.net_total
        numbers[s.period_id][s.municipality_id] = s.number
    open_periods = [pk for pk in periods if pk not in nets]
    for pk in open_periods:
        nets[pk] = period_nets(periods[pk])
    if open_periods:
        for period_id, municipality_id, number in Statement.objects.filter(
            period__in=open_periods
        ).values_list("period_id", "municipality_id", "number"):
            numbers[period_id][municipality_id] = number
    advice = {pk: netting_advice(period_nets) for pk, period_nets in nets.items()}
    transfers = {
        id(v): [t for t in advice[v.period.pk] if v.municipality in (t.payer, t.payee)]
        for v in issued
    }
    payees = {t.payee.pk for found in transfers.values() for t in found}
    details = {
        d.municipality_id: d
        for d in MunicipalityPaymentDetails.objects.filter(municipality_id__in=payees)
    }
    return [
        _advice_lines(v, transfers[id(v)], details, numbers[v.period.pk]) if v.is_issued else []
        for v in views
    ]


def _advice_lines(view, transfers, details, numbers) -> list[AdviceLine]:
    me = view.municipality
    issue_date = view.statement.issue_date
    lines = []
    for t in transfers:
        payee = details.get(t.payee.pk)
        lines.append(
            AdviceLine(
                direction="pay" if t.payer == me else "receive",
                counterparty=t.payee if t.payer == me else t.payer,
                amount=-t.amount if t.payer == me else t.amount,
                payee_details=payee,
                due_date=due_date(issue_date, payee.payment_term_days if payee else None),
                reference=numbers.get(t.payer.pk, ""),
            )
        )
    return lines


def period_nets(period: SettlementPeriod) -> dict[Municipality, Decimal]:
    """Net per municipality: from the issued statements, or the live lines for an open period."""
    if not period.is_open:
        return {
            s.municipality: s.net_total
            for s in Statement.objects.filter(period=period).select_related("municipality")
        }
    municipalities = Municipality.objects.in_bulk()
    return {
        municipalities[mid]: sum((c.net for c in parties.values()), ZERO)
        for mid, parties in period_totals(period).items()
    }
