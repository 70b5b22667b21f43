from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from scheduling import models
from scheduling.services.booking import capacity_freed
from scheduling.services.holidays import closures_confirm, holiday_closures_propose


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region", "is_core", "is_rni_desk"]
    list_filter = ["region", "is_core", "is_rni_desk"]
    list_editable = ["region"]
    search_fields = ["name", "cbs_code"]


@admin.register(models.PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "population"]
    list_filter = ["year"]


class OpeningHoursInline(admin.TabularInline):
    model = models.OpeningHours
    extra = 0


class CounterInline(admin.TabularInline):
    model = models.Counter
    extra = 0
    filter_horizontal = ["services"]


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "region", "is_rni_desk", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, CounterInline]
    actions = ["propose_holidays"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # New opening hours or counters may free time: offer it to the waitlist.
        capacity_freed(location_ids=[form.instance.pk])

    @admin.action(description=_("Propose next year's public holidays as closures"))
    def propose_holidays(self, request, queryset):
        year = timezone.localdate().year + 1
        created = holiday_closures_propose(year=year, actor=request.user, locations=queryset)
        self.message_user(
            request,
            _("%(count)s holiday closures proposed for %(year)s. Confirm them under Closures.")
            % {"count": len(created), "year": year},
            messages.SUCCESS,
        )


@admin.register(models.Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "is_active"]
    list_filter = ["location"]
    filter_horizontal = ["services"]


@admin.register(models.Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["location", "date_from", "date_to", "reason", "source", "confirmed"]
    list_filter = ["location", "source", "confirmed"]
    actions = ["confirm"]

    # A closure removed frees the desk's time: offer it to the waitlist.
    def delete_model(self, request, obj):
        location_id = obj.location_id
        super().delete_model(request, obj)
        capacity_freed(location_ids=[location_id])

    def delete_queryset(self, request, queryset):
        location_ids = set(queryset.values_list("location_id", flat=True))
        super().delete_queryset(request, queryset)
        capacity_freed(location_ids=location_ids)

    @admin.action(description=_("Confirm selected closures"))
    def confirm(self, request, queryset):
        count = closures_confirm(closures=queryset, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d closure confirmed.", "%(count)d closures confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(models.BusVisit)
class BusVisitAdmin(admin.ModelAdmin):
    list_display = ["date", "site_name", "employer", "opens", "closes"]
    filter_horizontal = ["counters"]


@admin.register(models.ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "category", "duration_minutes", "is_active"]


@admin.register(models.Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "contact_email"]
    search_fields = ["name", "kvk_number"]
    exclude = ["calendar_feed_token"]


@admin.register(models.StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "municipality", "location"]


@admin.register(models.NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    """Read-only: what was sent (kind, recipient role), so nothing is sent twice."""

    list_display = ["sent_at", "kind", "recipient", "appointment", "group_booking"]
    list_filter = ["kind", "recipient"]
    readonly_fields = ["key", "kind", "recipient", "appointment", "group_booking", "sent_at"]


@admin.register(models.TicketBatch)
class TicketBatchAdmin(admin.ModelAdmin):
    """Read-only: batches are created by the group-tickets page and built by a task."""

    list_display = ["group_booking", "status", "progress", "total", "language", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in models.TicketBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    """Read-only: entries change through the portal and the offer round (docs/waitlist.md)."""

    list_display = ["reference", "employer", "status", "location", "region", "group_size"]
    list_display += ["date_from", "date_to", "joined_at", "offer_expires_at"]
    list_filter = ["status", "location", "region"]
    search_fields = ["reference", "employer__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
