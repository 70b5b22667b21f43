"""The waitlist: an employer whose group did not fit waits for freed places (docs/waitlist.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.constants import WaitlistStatus
from scheduling.models.appointments import new_booking_code


class WaitlistEntry(models.Model):
    """One group waiting for room at a desk (or any desk of a region) within a date range.

    When capacity frees, the offer round holds the places for the first entries in joining
    order that now fit (``offer_group``: a held group booking of placeholder visits, released
    by the group-booking hold expiry) and e-mails a link carrying ``offer_token``-signed
    ``reference`` and ``offer_version``; accepting books the real workers."""

    employer = models.ForeignKey(
        "scheduling.Employer", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_booking_code
    )
    location = models.ForeignKey(
        "scheduling.Location",
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "scheduling.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    group_size = models.PositiveSmallIntegerField(_("number of workers"))
    services = models.ManyToManyField(
        "scheduling.ServiceType", verbose_name=_("services"), related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WaitlistStatus.choices,
        default=WaitlistStatus.WAITING,
    )
    joined_at = models.DateTimeField(_("joined at"))
    # The current offer: the held places, when they are released, and the token version.
    offer_group = models.ForeignKey(
        "scheduling.GroupBooking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    offer_version = models.PositiveIntegerField(default=0)
    booking = models.ForeignKey(
        "scheduling.GroupBooking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["status", "joined_at"], name="waitlist_line")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__lte=F("date_to")), name="waitlist_range_valid"
            ),
            models.CheckConstraint(
                condition=Q(location__isnull=False, region__isnull=True)
                | Q(location__isnull=True, region__isnull=False),
                name="waitlist_one_target",
            ),
            models.CheckConstraint(condition=Q(group_size__gte=1), name="waitlist_group_size"),
        ]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")

    def __str__(self):
        return f"{self.reference} ({self.employer})"

    @property
    def target(self):
        return self.location or self.region
