"""Government claims for the desk's extra service: the claim lines (written by counter's
record hooks in the recording transaction) and the quarterly claim statements.

- ``claim_lines_for_funded_service`` (``RECORD_HOOKS`` ``extra_service_funded``): under
  ``government_split`` the service's amount is split with ``core.money.allocate`` into the
  state's, the province's and the municipalities' part; the municipal part goes to the
  client's municipality of residence or, pro rata by CBS population, to the municipalities of
  the desk's region. Zero parts write no line; the lines of one service sum to its amount.
- ``claim_line_for_newcomer`` (``registration_recorded``): under ``state_per_newcomer`` a
  completed registration writes the state's fixed amount; ``claim_line_reverse_newcomer``
  (``registration_voided``) its reversal.
- ``claim_quarter_issue``: freezes every unclaimed line dated up to the quarter's end into
  one statement per paying party (late lines of an issued quarter go to the next one).
"""

import datetime as dt
import json
from decimal import Decimal

from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.codes import keyed_code
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.money import allocate
from core.sequences import sequence_next_block
from counter.models import FinancingVariant, FundedService, MunicipalBasis, ServiceRecord
from counter.services.financing import financing_on, region_municipalities
from scheduling.models import Municipality
from settlement.errors import SettlementError
from settlement.models import ClaimLine, ClaimParty, ClaimRun, ClaimStatement, ClaimStatementLine
from settlement.selectors.claims import (
    claim_lines_digest,
    claim_lines_unclaimed,
    claim_statement_hash,
    quarter_bounds,
)
from settlement.selectors.population import missing_population_error, population_for

PARTY_ORDER = {ClaimParty.STATE: 0, ClaimParty.PROVINCE: 1, ClaimParty.MUNICIPALITY: 2}


def claim_reference(kind: str, pk: int) -> str:
    """Pseudonymous reference of a visit (``V-``) or registration (``N-``): an HMAC of the id."""
    return f"{kind}-" + keyed_code(f"claim-ref:{kind}:{pk}")


def _municipal_weights(funded: FundedService) -> list[tuple[Municipality, int]]:
    choice = funded.financing
    if choice.municipal_basis == MunicipalBasis.RESIDENCE:
        resident = funded.appointment.client.municipality_of_residence
        # Without a known residence the desk's own (core) municipality carries the share.
        return [(resident or funded.appointment.location.municipality, 1)]
    municipalities = list(region_municipalities(choice.region).order_by("cbs_code"))
    population = population_for([m.pk for m in municipalities], funded.service_date.year)
    missing = [m for m in municipalities if m.pk not in population]
    if missing:
        raise missing_population_error(missing, funded.service_date.year)
    return [(m, population[m.pk]) for m in municipalities]


def claim_split(funded: FundedService) -> list[ClaimLine]:
    """The (unsaved) claim lines of one funded service: parts sum exactly to its amount."""
    choice = funded.financing
    reference = claim_reference("V", funded.appointment_id)
    state, province, municipal = allocate(funded.amount, choice.shares)
    common = {
        "variant": choice.variant,
        "reference": reference,
        "service_date": funded.service_date,
        "appointment_id": funded.appointment_id,
        "funded_service": funded,
        "financing": choice,
    }
    lines = [
        ClaimLine(party=ClaimParty.STATE, party_key="state", amount=state, **common),
        ClaimLine(party=ClaimParty.PROVINCE, party_key="province", amount=province, **common),
    ]
    weights = _municipal_weights(funded) if municipal else []
    if weights:
        parts = allocate(municipal, [w for _m, w in weights])
        for (municipality, _w), part in zip(weights, parts, strict=True):
            lines.append(
                ClaimLine(
                    party=ClaimParty.MUNICIPALITY,
                    municipality=municipality,
                    party_key=municipality.cbs_code,
                    amount=part,
                    **common,
                )
            )
    return [line for line in lines if line.amount != 0]


def claim_lines_for_funded_service(*, funded: FundedService, actor) -> list[ClaimLine]:
    if funded.financing.variant != FinancingVariant.GOVERNMENT_SPLIT or funded.amount == 0:
        return []
    lines = ClaimLine.objects.bulk_create(claim_split(funded))
    audit_log(
        actor=actor,
        action="claim_lines.add",
        obj=funded,
        lines=len(lines),
        amount=str(funded.amount),
    )
    return lines


def claim_line_for_newcomer(*, record: ServiceRecord, actor) -> ClaimLine | None:
    """Under ``state_per_newcomer`` on the registration date: the state's amount."""
    appointment = record.leg.appointment
    choice = financing_on(appointment.location, record.registration_date)
    if choice is None or choice.variant != FinancingVariant.STATE_PER_NEWCOMER:
        return None
    if ClaimLine.objects.filter(record=record, reverses__isnull=True).exists():
        return None  # idempotent per record
    if choice.amount_per_newcomer == 0:
        return None
    line = ClaimLine.objects.create(
        party=ClaimParty.STATE,
        party_key="state",
        amount=choice.amount_per_newcomer,
        variant=choice.variant,
        reference=claim_reference("N", record.pk),
        service_date=record.registration_date,
        appointment_id=appointment.pk,
        record=record,
        financing=choice,
    )
    audit_log(actor=actor, action="claim_line.add", obj=line, amount=str(line.amount))
    return line


def claim_line_reverse_newcomer(*, record: ServiceRecord, actor) -> ClaimLine | None:
    # of=("self",): "reversed_by" is an outer join, which PostgreSQL cannot lock (voiding a
    # registration answered 500 there).
    line = (
        ClaimLine.objects.select_for_update(of=("self",))
        .filter(record=record, reverses__isnull=True, amount__gt=0, reversed_by__isnull=True)
        .first()
    )
    if line is None:
        return None
    reversal = ClaimLine.objects.create(
        party=line.party,
        party_key=line.party_key,
        amount=-line.amount,
        variant=line.variant,
        reference=line.reference,
        service_date=timezone.localdate(),
        appointment_id=line.appointment_id,
        record=record,
        financing_id=line.financing_id,
        reverses=line,
    )
    audit_log(actor=actor, action="claim_line.reverse", obj=reversal, reverses=line.pk)
    return reversal


def claim_lines_reverse_funded_service(
    *, funded: FundedService, actor, today: dt.date | None = None
) -> list[ClaimLine]:
    """``RECORD_HOOKS`` ``extra_service_voided``: a credit line (the negative amount, same
    party and reference, ``reverses`` the original) for each claim line of the voided
    service, dated ``today``. A line already on a statement is credited on the next
    quarter's statement; the issued one stays as it is. Idempotent per line."""
    originals = list(
        ClaimLine.objects.select_for_update(of=("self",))
        .filter(funded_service=funded, reverses__isnull=True, reversed_by__isnull=True)
        .order_by("pk")
    )
    day = today or timezone.localdate()
    credits = ClaimLine.objects.bulk_create(
        [
            ClaimLine(
                party=line.party,
                municipality_id=line.municipality_id,
                party_key=line.party_key,
                amount=-line.amount,
                variant=line.variant,
                reference=line.reference,
                service_date=day,
                appointment_id=line.appointment_id,
                funded_service_id=line.funded_service_id,
                financing_id=line.financing_id,
                reverses=line,
            )
            for line in originals
        ]
    )
    if credits:
        audit_log(
            actor=actor,
            action="claim_lines.credit",
            obj=funded,
            lines=len(credits),
            amount=str(sum((c.amount for c in credits), Decimal("0.00"))),
        )
    return credits


# --- Quarterly statements --------------------------------------------------------------------
# The canonical line form and the streaming hash live in settlement.selectors.claims (one
# definition for issuing and for verifying).


def _link_lines(links: dict[int, list[int]]) -> None:
    """Put the hashed lines on their statements: ``links`` maps a statement's pk to the pks
    of its lines. The membership rows go in with one statement, in line order so the primary
    key only grows at its end: on PostgreSQL a ``COPY ... FROM STDIN`` of the (line,
    statement) pairs as text (the bulk-load path: cheaper for the server than an INSERT of
    unnested arrays, and no array parameter dumped element by element in Python); on SQLite
    an ``INSERT ... SELECT`` from one JSON parameter (``{statement: [line, ...]}``,
    unnested by ``json_each``; half the cost of running a prepared INSERT per row). No claim
    line is read again or updated. A line another issue claimed meanwhile breaks the primary
    key: ``busy``, the whole issue rolls back."""
    if not any(links.values()):
        return
    connection = connections[ClaimStatementLine.objects.db]
    quote = connection.ops.quote_name
    meta = ClaimStatementLine._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("line", "statement"))
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                pairs = sorted(
                    (line, statement) for statement, pks in links.items() for line in pks
                )
                data = "".join([f"{line}\t{statement}\n" for line, statement in pairs])
                # psycopg's errors inside the COPY block become Django's (IntegrityError).
                with connection.wrap_database_errors:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        copy.write(data)
            else:
                document = json.dumps({str(statement): pks for statement, pks in links.items()})
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT line.value, CAST(statement.key AS"
                    " INTEGER) FROM json_each(%s) statement, json_each(statement.value) line"
                    " ORDER BY 1",
                    [document],
                )
    except IntegrityError as exc:
        raise Conflict(
            _("Claim lines were claimed by another issue at the same time; please try again."),
            code=CoreError.BUSY,
        ) from exc


@transaction.atomic
def claim_quarter_issue(
    *, quarter: str, actor, today: dt.date | None = None
) -> list[ClaimStatement]:
    """Issue one claim statement per paying party for ``quarter`` (``YYYY-Qn``): every
    unclaimed line dated up to the quarter's end. Refused before the quarter has ended and
    for a quarter already issued."""
    start, end = quarter_bounds(quarter)
    today = today or timezone.localdate()
    if end >= today:
        raise ValidationFailed(
            _("Quarter %(quarter)s has not ended yet: it can be claimed from %(day)s.")
            % {"quarter": quarter, "day": (end + dt.timedelta(days=1)).isoformat()},
            code=CoreError.PERIOD_NOT_ENDED,
        )
    if ClaimRun.objects.select_for_update().filter(quarter=quarter).exists():
        raise Conflict(
            _("The claims of %(quarter)s were already issued.") % {"quarter": quarter},
            code=SettlementError.PERIOD_ALREADY_ISSUED,
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    ClaimRun.objects.create(quarter=quarter, issued_at=now, issued_by=user)
    unclaimed = claim_lines_unclaimed(end)
    groups: dict[str, dict] = {}
    for key, party, municipality_id, total, count, body, pks in claim_lines_digest(unclaimed):
        groups[key] = {
            "party": party,
            "municipality_id": municipality_id,
            "total": total,
            "count": count,
            "hash": body,
            "pks": pks,
        }
    keys = sorted(groups, key=lambda k: (PARTY_ORDER[groups[k]["party"]], k))
    numbers = sequence_next_block(f"claim:{end.year}", len(keys))
    statements = []
    for key, number in zip(keys, numbers, strict=True):
        group = groups[key]
        digest = claim_statement_hash(quarter, key, group["total"], group["count"], group["hash"])
        statements.append(
            ClaimStatement(
                number=f"{end.year}-C{number:05d}",
                quarter=quarter,
                start=start,
                end=end,
                party=group["party"],
                municipality_id=group["municipality_id"],
                party_key=key,
                total=group["total"],
                line_count=group["count"],
                content_hash=digest,
                issued_at=now,
                issued_by=user,
            )
        )
    ClaimStatement.objects.bulk_create(statements)
    # Exactly the lines hashed go on the statements: a line recorded meanwhile stays
    # unclaimed and goes on the next quarter's statement.
    if any(statement.pk is None for statement in statements):  # a backend without RETURNING
        issued = dict(ClaimStatement.objects.filter(quarter=quarter).values_list("party_key", "pk"))
    else:
        issued = {statement.party_key: statement.pk for statement in statements}
    _link_lines({issued[key]: group.pop("pks") for key, group in groups.items()})
    audit_log(
        actor=actor,
        action="claims.issue",
        object_type=ClaimRun._meta.label_lower,
        object_id=quarter,
        statements=len(statements),
        total=str(sum((s.total for s in statements), Decimal("0.00"))),
    )
    return list(ClaimStatement.objects.filter(quarter=quarter).select_related("municipality"))
