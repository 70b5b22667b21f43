import logging

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.models import ApiToken, AuditLogEntry

logger = logging.getLogger(__name__)

# The admin carries the service's name, not "Django administration".
admin.site.site_header = _("BMIP administration")
admin.site.site_title = _("BMIP administration")
admin.site.index_title = _("Brabant Migration Information Point")


class ServiceAddForm(forms.ModelForm):
    """The add form of a ``ServiceAddAdmin``: once its fields are valid, ``clean()`` creates
    the row through the app's service (``create(data)``, acting as ``self.actor``) and keeps it
    in ``self.created``; the service's refusal (``DomainError``) becomes the form's error on
    the add page (its translated message; the code goes to the log), in the same
    transaction, so nothing is written. No model validation and no
    save of its own: the service validated and wrote the row (once)."""

    actor = None
    created = None

    def create(self, data: dict):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.created = self.create(data)
        except DomainError as exc:
            # The user reads the translated message; the code is for the log only.
            logger.info("admin add of %s refused: %s", self._meta.model._meta.label, exc.code)
            raise forms.ValidationError(str(exc.message), code=str(exc.code)) from exc
        return data

    def _post_clean(self):
        pass  # the service has validated and written the row


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


class ServiceAddAdmin(ReadOnlyAdmin):
    """The one admin base whose "add" goes through the app's service, so the admin keeps the
    service's rules (tariffs, fee lines, financing choices, settlement tariffs and
    agreements): its ``form`` is a ``ServiceAddForm``, which calls the service in ``clean()``
    (a refusal is an error on the form). Nothing else changes rows: no edit, delete or bulk
    action (``ReadOnlyAdmin``); adding needs the model's add permission."""

    def has_add_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.add_{self.opts.model_name}")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class for every request
        form.actor = request.user
        return form

    def save_form(self, request, form, change):
        # The row the form's service wrote (it may be of another model: a fee line under a
        # government financing is a funded service): the admin's log entry and message name it.
        return form.created

    def save_model(self, request, obj, form, change):
        pass  # written once, by the service

    def save_related(self, request, form, formsets, change):
        pass  # the service set the relations


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
