"""Configuration by the coordinator: activities, sessions and fees. Fees are created through
the service (effective-dated, never edited once in force)."""

from django.contrib import admin

from activities.models import Activity, ActivityFee, Participant, Registration, Session
from activities.services.fees import activity_fee_create


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["date", "start_time", "end_time", "location", "address", "capacity"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "payer", "free_cancellation_days"]
    list_filter = ["kind", "payer"]
    inlines = [SessionInline]


@admin.register(ActivityFee)
class ActivityFeeAdmin(admin.ModelAdmin):
    list_display = ["activity", "adult_amount", "child_amount", "valid_from", "valid_to"]
    fields = ["activity", "adult_amount", "child_amount", "valid_from", "valid_to"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fee = activity_fee_create(
            activity=obj.activity,
            adult_amount=obj.adult_amount,
            child_amount=obj.child_amount,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            actor=request.user,
        )
        obj.pk = fee.pk


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["activity", "date", "start_time", "location", "capacity"]
    list_filter = ["activity__kind", "location"]
    date_hierarchy = "date"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["reference", "session", "employer", "state", "created_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Registration._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["code", "registration", "kind", "attendance"]
    list_filter = ["attendance", "kind"]
    readonly_fields = [f.name for f in Participant._meta.fields]

    def has_add_permission(self, request):
        return False
