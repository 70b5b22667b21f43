"""Back-office records. ServiceRecord is the source of fees and settlement lines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from counter.constants import (
    InsuranceResult,
    NotDeliveredReason,
    Outcome,
    ReferralTo,
    RegistrationKind,
)


class ServiceRecord(ImmutableModel):
    """What was delivered on one leg of a visit. Written once; corrected by voiding."""

    leg = models.ForeignKey(
        "scheduling.Leg", on_delete=models.PROTECT, related_name="service_records"
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Why a service was not delivered: set exactly when the outcome is "not completed".
    reason_code = models.CharField(
        _("reason not delivered"), max_length=20, choices=NotDeliveredReason.choices, blank=True
    )
    # Registration (BRP/RNI) facts; empty for other services.
    registration_kind = models.CharField(
        _("registration kind"), max_length=3, choices=RegistrationKind.choices, blank=True
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    residence_municipality = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    performing_municipality = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("performing municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bsn_issued = models.BooleanField(_("BSN issued"), default=False)
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        help_text=_("Stored only when the operating municipality has a legal basis."),
    )
    lawful_residence_proof = models.CharField(
        _("proof of lawful residence"), max_length=100, blank=True
    )
    # Health-insurance intake facts.
    insurance_result = models.CharField(
        _("intake result"), max_length=20, choices=InsuranceResult.choices, blank=True
    )
    insurance_obligation_start = models.DateField(
        _("insurance obligation starts"),
        null=True,
        blank=True,
        help_text=_("Start of work or registration, whichever gives rise to the obligation."),
    )
    insurance_deadline = models.DateField(
        _("insure before"),
        null=True,
        blank=True,
        help_text=_("Four months after the obligation starts; shown to the client."),
    )
    a1_exemption = models.BooleanField(_("A1 certificate (keeps home insurance)"), default=False)
    # IND / work-permit referral facts.
    referral_made = models.BooleanField(_("referral made"), default=False)
    referral_to = models.CharField(
        _("referred to"), max_length=20, choices=ReferralTo.choices, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Written once. Voiding is the only later change; the BSN is only ever erased (retention).
    mutable_fields = frozenset({"voided_at", "void_reason", "voided_by", "bsn"})
    immutable_message = _("A service record is never edited: void it and record again.")

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_kind="")
                | Q(
                    registration_date__isnull=False,
                    residence_municipality__isnull=False,
                    performing_municipality__isnull=False,
                ),
                name="record_registration_facts_complete",
            ),
            models.CheckConstraint(
                condition=Q(bsn="") | Q(bsn_issued=True), name="record_bsn_only_when_issued"
            ),
            models.CheckConstraint(
                condition=Q(
                    outcome=Outcome.NOT_COMPLETED, reason_code__in=NotDeliveredReason.values
                )
                | (~Q(outcome=Outcome.NOT_COMPLETED) & Q(reason_code="")),
                name="record_reason_code_when_not_completed",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="record_void_has_reason",
            ),
            # One valid record per leg; voided ones stay as history.
            models.UniqueConstraint(
                fields=["leg"],
                condition=Q(voided_at__isnull=True),
                name="record_one_valid_per_leg",
            ),
        ]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    def __str__(self):
        return f"{self.leg} {self.outcome}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def is_completed_registration(self) -> bool:
        return bool(self.registration_kind) and self.outcome == Outcome.COMPLETED
