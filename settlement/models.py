"""Inter-municipal settlements: tariffs, agreements, periods, lines, statements, payments.

Everything here is append-only (``core.models.ImmutableModel``). Tariffs, agreements,
periods, lines, statements and payments are written once by a service in
``settlement.services`` and never deleted; the only later changes are the ones a model lists
in ``mutable_fields`` (a tariff's end date when a newer tariff supersedes it; a period's
issue). Corrections are new rows (a reversal line in a later open period; a new tariff from
a later date).

The tables were created by the counter app before settlement became an app of its own; they
keep their names (``db_table``), and so does the agreements' M2M table.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.money import MoneyField
from core.organisations import OrganisationDetails
from counter.constants import RegistrationKind
from settlement.constants import AgreementModel, PeriodGranularity, SettlementLineKind


class SettlementTariff(ImmutableModel):
    """Amount the municipality of residence pays per registration, valid over a date range.

    Never edited in place: a new tariff from date X ends the open-ended one at X - 1 day
    (``valid_to``, the one field that may still change).
    """

    mutable_fields = frozenset({"valid_to"})

    amount = MoneyField(_("amount per registration (EUR)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "counter_settlementtariff"
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="settlement_tariff_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="settlement_tariff_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="settlement_tariff_amount_not_negative"
            ),
        ]
        verbose_name = _("settlement tariff")
        verbose_name_plural = _("settlement tariffs")

    def __str__(self):
        return f"EUR {self.amount} {self.valid_from}..{self.valid_to or ''}"


class SettlementAgreement(ImmutableModel):
    """Which settlement model applies to which municipalities of a region, for which dates.

    Without an agreement, the per-registration model applies. A per-inhabitant agreement runs
    in whole calendar years: each participant pays ``amount_per_inhabitant`` x its CBS
    population to ``payee`` (the region's core municipality), and registrations ``payee``
    performs for participants give no per-registration line while it is in force.
    """

    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        "scheduling.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    model = models.CharField(_("model"), max_length=20, choices=AgreementModel.choices)
    payee = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("core municipality (receives)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.ManyToManyField(
        "scheduling.Municipality", verbose_name=_("participating municipalities"), related_name="+"
    )
    amount_per_inhabitant = MoneyField(
        _("yearly amount per inhabitant (EUR)"), default=Decimal("0.25")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "counter_settlementagreement"
        ordering = ["region", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="settlement_agreement_range_valid",
            ),
        ]
        verbose_name = _("settlement agreement")
        verbose_name_plural = _("settlement agreements")

    def __str__(self):
        return f"{self.name} ({self.get_model_display()})"


class SettlementPeriod(ImmutableModel):
    """A settlement month (or quarter). Open until its statements are issued, then closed.

    The only change a period ever sees is open -> issued, made by ``settlement_period_issue``
    with a compare-and-swap update; the row is locked by every writer of lines into it.
    """

    mutable_fields = frozenset({"issued_at", "issued_by"})
    immutable_message = _("Settlement periods change only when they are issued.")

    start = models.DateField(_("start"), unique=True)
    end = models.DateField(_("end (inclusive)"))
    granularity = models.CharField(
        _("granularity"), max_length=10, choices=PeriodGranularity.choices
    )
    label = models.CharField(_("label"), max_length=10, unique=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "counter_settlementperiod"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=F("end")), name="settlement_period_range_valid"
            ),
        ]
        verbose_name = _("settlement period")
        verbose_name_plural = _("settlement periods")

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.issued_at is None


class SettlementLine(ImmutableModel):
    """One amount one municipality owes another, for one registration (or contribution).

    ``reference`` is pseudonymous (an HMAC of the record id): never the BSN or a name.
    Reversals carry the same reference, a negative amount and ``reverses``.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=SettlementLineKind.choices)
    payer = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="settlement_lines_payable",
    )
    payee = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("payee"),
        on_delete=models.PROTECT,
        related_name="settlement_lines_receivable",
    )
    amount = MoneyField(_("amount (EUR)"))
    reference = models.CharField(_("registration reference"), max_length=20, db_index=True)
    registration_date = models.DateField(_("registration date"))
    registration_kind = models.CharField(
        _("registration kind"), max_length=3, choices=RegistrationKind.choices, blank=True
    )
    period = models.ForeignKey(
        SettlementPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="lines"
    )
    record = models.ForeignKey(
        "counter.ServiceRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlement_lines",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    tariff = models.ForeignKey(
        SettlementTariff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        SettlementAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contribution_year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "counter_settlementline"
        ordering = ["period", "registration_date", "pk"]
        indexes = [
            models.Index(fields=["period", "payer"], name="settle_line_period_payer"),
            models.Index(fields=["period", "payee"], name="settle_line_period_payee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(payer=F("payee")), name="settlement_line_two_municipalities"
            ),
            models.CheckConstraint(
                condition=(Q(kind="charge") & Q(amount__gt=0) & Q(reverses__isnull=True))
                | (Q(kind="contribution") & Q(amount__gt=0) & Q(reverses__isnull=True))
                | (Q(kind="reversal") & Q(amount__lt=0) & Q(reverses__isnull=False)),
                name="settlement_line_kind_sign",
            ),
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(kind="charge"),
                name="settlement_line_one_charge_per_record",
            ),
            models.UniqueConstraint(
                fields=["agreement", "contribution_year", "payer"],
                condition=Q(kind="contribution"),
                name="settlement_line_one_contribution_per_year",
            ),
        ]
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")

    def __str__(self):
        return f"{self.reference} {self.payer_id}->{self.payee_id} {self.amount}"


class Statement(ImmutableModel):
    """An issued statement of one municipality for one period: frozen totals and hash.

    Drafts are not stored: they are computed on the fly (``statement_draft``). The issued row
    keeps the totals per counterparty, the line count and a SHA-256 of its content (the lines
    as in the CSV export plus the totals), so anyone can verify it later.
    """

    municipality = models.ForeignKey(
        "scheduling.Municipality", on_delete=models.PROTECT, related_name="statements"
    )
    period = models.ForeignKey(
        SettlementPeriod, on_delete=models.PROTECT, related_name="statements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence in year"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issue_date = models.DateField(_("issue date"))
    receivable_total = MoneyField(_("receivable"))
    payable_total = MoneyField(_("payable"))
    net_total = MoneyField(_("net"))
    line_count = models.PositiveIntegerField(_("lines"))
    counterparties = models.JSONField(_("totals per counterparty"), default=list)
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)

    class Meta:
        db_table = "counter_statement"
        ordering = ["-period__start", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period"], name="statement_one_per_municipality_period"
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="statement_number_gapless"),
            models.CheckConstraint(
                condition=Q(net_total=F("receivable_total") - F("payable_total")),
                name="statement_net_is_receivable_minus_payable",
            ),
        ]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self):
        return f"{self.number} {self.municipality} {self.period}"

    @property
    def amount_due(self) -> Decimal:
        """What this municipality has to pay for the period (0 when it is owed money)."""
        return -self.net_total if self.net_total < 0 else Decimal("0.00")


class SettlementPayment(ImmutableModel):
    """Money received from a municipality against its statement."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount (EUR)"))
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "counter_settlementpayment"
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_payment_positive")
        ]
        verbose_name = _("settlement payment")
        verbose_name_plural = _("settlement payments")

    def __str__(self):
        return f"{self.statement.number}: {self.amount} on {self.received_on}"


class StatementDelivery(ImmutableModel):
    """A statement e-mailed to the municipality's finance contact (at most once)."""

    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="delivery")
    sent_to = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        db_table = "counter_statementdelivery"
        verbose_name = _("statement delivery")
        verbose_name_plural = _("statement deliveries")

    def __str__(self):
        return f"{self.statement.number} -> {self.sent_to}"


class MunicipalityPaymentDetails(OrganisationDetails):
    """How a municipality is named, addressed and paid on settlement documents (edited in the
    admin). The payee's IBAN and payment term go on the netting advice of whoever pays it;
    the one row with ``issues_statements`` (the core municipality that runs the settlement) is
    the issuer printed on every statement."""

    municipality = models.OneToOneField(
        "scheduling.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="payment_details",
    )
    issues_statements = models.BooleanField(
        _("issues the settlement statements"),
        default=False,
        help_text=_("The core municipality printed as issuer on every statement (one at most)."),
    )

    class Meta:
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["issues_statements"],
                condition=Q(issues_statements=True),
                name="settlement_one_statement_issuer",
            ),
        ]
        verbose_name = _("municipality payment details")
        verbose_name_plural = _("municipality payment details")

    def __str__(self):
        return self.legal_name


from settlement.models_claims import (  # noqa: E402, F401
    ClaimLine,
    ClaimParty,
    ClaimRun,
    ClaimStatement,
    ClaimStatementLine,
)
