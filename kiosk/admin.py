from django.contrib import admin

from core.admin import ReadOnlyAdmin
from kiosk.models import CallEvent, KioskSettings, QueueTicket, WalkInPolicy


@admin.register(KioskSettings)
class KioskSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "location",
        "early_minutes",
        "late_minutes",
        "priority_window_minutes",
        "kiosk_walk_ins",
    ]


@admin.register(WalkInPolicy)
class WalkInPolicyAdmin(admin.ModelAdmin):
    list_display = ["location", "service", "daily_cap", "is_active"]
    list_filter = ["location", "is_active"]


@admin.register(QueueTicket)
class QueueTicketAdmin(ReadOnlyAdmin):
    """Read-only: tickets change only through the queue services."""

    list_display = ["code", "location", "service_date", "state", "priority", "counter"]
    list_filter = ["location", "service_date", "state"]


@admin.register(CallEvent)
class CallEventAdmin(QueueTicketAdmin):
    list_display = ["at", "ticket", "counter", "action", "actor"]
    list_filter = ["action", "counter__location"]
