from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from kiosk.models import CallEvent, KioskDevice, KioskSettings, QueueTicket, WalkInPolicy
from kiosk.services.devices import device_pairing_start, device_revoke


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


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    """Coordinators pair kiosks and displays: adding a device (or the action "New pairing
    code") shows a one-time code to type at /kiosk/pair/ on the device."""

    list_display = ["name", "location", "paired_at", "last_seen_at", "revoked_at"]
    list_filter = ["location"]
    fields = ["name", "location", "pairing_expires_at", "paired_at", "last_seen_at", "revoked_at"]
    readonly_fields = ["pairing_expires_at", "paired_at", "last_seen_at", "revoked_at"]
    actions = ["new_pairing_code", "revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        obj.created_by = request.user
        obj.save()
        self._show_code(request, obj)

    def _show_code(self, request, device):
        code = device_pairing_start(device=device, actor=request.user)
        messages.warning(
            request,
            _("Pairing code for %(device)s: %(code)s (once; valid until %(until)s).")
            % {"device": device, "code": code, "until": device.pairing_expires_at},
        )

    @admin.action(description=gettext_lazy("New pairing code (the device must pair again)"))
    def new_pairing_code(self, request, queryset):
        for device in queryset:
            self._show_code(request, device)

    @admin.action(description=gettext_lazy("Revoke the selected devices"))
    def revoke(self, request, queryset):
        for device in queryset:
            device_revoke(device=device, actor=request.user)
