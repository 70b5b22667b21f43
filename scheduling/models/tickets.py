"""A group's tickets PDF built in the background (large groups), with progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketBatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class TicketBatch(models.Model):
    """One build of the tickets PDF of a group booking.

    ``fingerprint`` describes the appointments the file was built from (count, last change,
    token versions): a request whose fingerprint matches reuses the batch, a changed group
    gets a new one, so re-requests and re-runs never build twice.
    """

    group_booking = models.ForeignKey(
        "scheduling.GroupBooking", on_delete=models.CASCADE, related_name="ticket_batches"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=120)
    language = models.CharField(_("cover sheet language"), max_length=7)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TicketBatchStatus.choices,
        default=TicketBatchStatus.PENDING,
    )
    progress = models.PositiveIntegerField(_("tickets done"), default=0)
    total = models.PositiveIntegerField(_("tickets in total"), default=0)
    file = models.FileField(_("file"), upload_to="tickets/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_booking", "fingerprint", "language"],
                name="ticketbatch_one_per_version",
            )
        ]
        verbose_name = _("ticket batch")
        verbose_name_plural = _("ticket batches")

    def __str__(self):
        return f"{self.group_booking_id} {self.status} {self.progress}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.progress / self.total) if self.total else 0
