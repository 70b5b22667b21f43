"""Admin for the configurable lists: advice topics, partner organisations, handling
organisations and their handlers. Reports are handled on the case pages, not here (the
admin would show the reporter's identity to coordinators)."""

from django.contrib import admin
from django.db import models

from advice.models import (
    AdviceTopic,
    HandlerMembership,
    HandlingOrganisation,
    PartnerOrganisation,
)


@admin.register(AdviceTopic)
class AdviceTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "website", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(HandlingOrganisation)
class HandlingOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email", "response_days", "is_default", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(HandlerMembership)
class HandlerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    raw_id_fields = ["user"]
