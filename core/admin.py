from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.models import ApiToken, AuditLogEntry

# The admin carries the service's name, not "Django administration".
admin.site.site_header = _("BMIP administration")
admin.site.site_title = _("BMIP administration")
admin.site.index_title = _("Brabant Migration Information Point")


class ServiceAddAdmin(admin.ModelAdmin):
    """An admin whose "add" goes through the app's service, so the admin keeps the service's
    rules: ``service_create(request, obj)`` writes the row from the unsaved ``obj`` and returns
    it; a refusal (``DomainError``) is shown as an error on the add page and nothing is saved.
    """

    def service_create(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        try:
            created = self.service_create(request, obj)
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from exc
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change, delete or bulk action, whatever the user's permissions.

    For rows that change only through services (audit log, queue tickets, records, issued
    invoices and statements). The one read-only admin base of the project.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "reason"]
    list_filter = ["action", "object_type"]
    list_select_related = ["note"]
    readonly_fields = ["reason"]

    @admin.display(description=_("reason"))
    def reason(self, obj):
        """The typed reason (an erasable note), "" once the retention purge removed it."""
        return obj.reason


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class BmipUserAdmin(UserAdmin):
    """Users who appear in the audit log are deactivated, never deleted (the log keeps who
    did what; the database refuses the delete too)."""

    actions = ["deactivate"]

    @admin.action(description=gettext_lazy("Deactivate the selected users (they cannot log in)"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and AuditLogEntry.objects.filter(actor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Every user's API tokens (never the key: it is not stored); revoking is the one action."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["key_hash"]

    def get_actions(self, request):
        return admin.ModelAdmin.get_actions(self, request)

    actions = ["revoke"]

    @admin.action(description=gettext_lazy("Revoke the selected API tokens"))
    def revoke(self, request, queryset):
        from core.tokens import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token, actor=request.user)
