"""Back-office records. ServiceRecord is the source of fees and settlement lines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from counter.constants import Outcome, RegistrationKind


class ServiceRecord(models.Model):
    """What was delivered on one leg of a visit."""

    leg = models.OneToOneField(
        "scheduling.Leg", on_delete=models.PROTECT, related_name="service_record"
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
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
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)

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
        ]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    def __str__(self):
        return f"{self.leg} {self.outcome}"
