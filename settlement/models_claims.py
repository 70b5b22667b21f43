"""Government claims for the desk's extra service (financing variants ``government_split``
and ``state_per_newcomer``, see ``counter.models.financing``).

A ``ClaimLine`` is one amount one paying party (the state, the province, one municipality)
owes for one recorded service of one visit: a ``FundedService`` (split 50/25/25) or a
completed registration (the state's amount per newcomer). Lines are written once, in the
transaction that records the service; a void writes a reversal. A ``ClaimStatement`` freezes
a party's unclaimed lines up to the end of a quarter, numbered gaplessly per year.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.money import MoneyField


class ClaimParty(models.TextChoices):
    STATE = "state", _("State")
    PROVINCE = "province", _("Province")
    MUNICIPALITY = "municipality", _("Municipality")


class ClaimStatement(ImmutableModel):
    """One paying party's claim for one quarter; never changed once issued."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    quarter = models.CharField(_("quarter"), max_length=7)
    start = models.DateField(_("start"))
    end = models.DateField(_("end (inclusive)"))
    party = models.CharField(_("paying party"), max_length=12, choices=ClaimParty.choices)
    municipality = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_statements",
    )
    party_key = models.CharField(max_length=12)
    total = MoneyField(_("total (EUR)"))
    line_count = models.PositiveIntegerField(_("lines"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    immutable_message = _("An issued claim statement is never changed.")

    class Meta:
        ordering = ["-start", "party", "party_key"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "party_key"], name="claim_statement_once"),
        ]
        verbose_name = _("claim statement")
        verbose_name_plural = _("claim statements")

    def __str__(self):
        return f"{self.number} {self.quarter} {self.party_name}"

    @property
    def lines(self):
        """The claim lines this statement claimed (through ``ClaimStatementLine``)."""
        return ClaimLine.objects.filter(statement_link__statement=self)

    @property
    def party_name(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        return str(self.get_party_display())


class ClaimRun(ImmutableModel):
    """A quarter whose claim statements were issued (at most once)."""

    quarter = models.CharField(_("quarter"), max_length=7, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-quarter"]
        verbose_name = _("claim run")
        verbose_name_plural = _("claim runs")

    def __str__(self):
        return self.quarter


class ClaimLine(ImmutableModel):
    """One party's part of one recorded service. ``reference`` is pseudonymous (an HMAC):
    never a name or a BSN. Reversals are negative, keep the reference and set ``reverses``."""

    party = models.CharField(_("paying party"), max_length=12, choices=ClaimParty.choices)
    municipality = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_lines",
    )
    # "state", "province" or the municipality's CBS code: one key per statement.
    party_key = models.CharField(max_length=12)
    amount = MoneyField(_("amount (EUR)"))
    variant = models.CharField(_("financing variant"), max_length=20)
    reference = models.CharField(_("reference"), max_length=20)
    service_date = models.DateField(_("date of the service"))
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="claim_lines"
    )
    funded_service = models.ForeignKey(
        "counter.FundedService",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_lines",
    )
    record = models.ForeignKey(
        "counter.ServiceRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_lines",
    )
    financing = models.ForeignKey(
        "counter.FinancingChoice", on_delete=models.PROTECT, related_name="claim_lines"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    immutable_message = _("A claim line is never edited: a void writes a reversal.")

    class Meta:
        ordering = ["service_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(funded_service__isnull=False) | Q(record__isnull=False),
                name="claim_line_traces_to_a_service",
            ),
            models.CheckConstraint(
                condition=Q(party="municipality", municipality__isnull=False)
                | (~Q(party="municipality") & Q(municipality__isnull=True)),
                name="claim_line_municipality_party",
            ),
        ]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")

    def __str__(self):
        return f"{self.party_key} {self.reference} EUR {self.amount}"

    @property
    def statement(self) -> ClaimStatement | None:
        link = getattr(self, "statement_link", None)
        return link.statement if link is not None else None


class ClaimStatementLine(ImmutableModel):
    """A claim line's membership of the statement that claimed it: written once, when the
    quarter is issued, all in one statement (a narrow row with two index entries instead of
    a new version of every claim line with entries in all its indexes: on PostgreSQL that
    UPDATE was 4-10 s a quarter). The line is the primary key, so a line is
    claimed at most once, whatever runs at the same time.

    No database foreign-key constraints (``db_constraint=False``): PostgreSQL checks a
    deferred constraint row by row at commit (a ``FOR KEY SHARE`` lock on every claim line,
    seconds for a quarter). The rows are only ever written by ``claim_quarter_issue``, from
    the claim lines it selects and the statements it has just created in the same
    transaction; lines and statements are never deleted (``ImmutableModel``, ``PROTECT``)."""

    line = models.OneToOneField(
        ClaimLine,
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="statement_link",
        db_constraint=False,
    )
    statement = models.ForeignKey(
        ClaimStatement, on_delete=models.PROTECT, related_name="line_links", db_constraint=False
    )

    immutable_message = _("A claimed line stays on its statement.")

    class Meta:
        verbose_name = _("claimed line")
        verbose_name_plural = _("claimed lines")

    def __str__(self):
        return f"{self.statement_id}:{self.line_id}"
