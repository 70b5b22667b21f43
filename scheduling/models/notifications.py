"""What was sent to whom, so a notification task that runs twice sends nothing twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLog(models.Model):
    """One sent message. ``key`` names the message (kind, object, version, recipient role);
    the unique constraint is the guard: a task claims the key before it sends."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    group_booking = models.ForeignKey(
        "scheduling.GroupBooking",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Recipient role ("employer" or "worker"), not the address: no personal data in the log.
    recipient = models.CharField(_("recipient"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self):
        return self.key
