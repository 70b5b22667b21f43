"""Roles are Django groups with model permissions; a StaffProfile ties a user to its scope.

employer -> one Employer, municipality -> one Municipality, receptionist/officer -> one
Location, coordinator -> everything. Apps scope every query through these helpers.

The role registry: each app lists the permissions its own models give to each role in its
``AppConfig.role_permissions`` (``{role: ["app_label.codename", ...]}``); ``roles_ensure``
collects them from every installed app, so no app names another app's permissions.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    RECEPTIONIST = "receptionist", _("Receptionist")
    OFFICER = "officer", _("Counter officer")
    EMPLOYER = "employer", _("Employer")
    MUNICIPALITY = "municipality", _("Municipality")
    HANDLER = "handler", _("Case handler")


def role_permissions() -> dict[str, list[str]]:
    """Every role's permissions, contributed by the installed apps (coordinator: all)."""
    collected: dict[str, list[str]] = {role.value: [] for role in Role}
    collected[Role.COORDINATOR.value] = ["*"]
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            if role != Role.COORDINATOR:
                collected[str(role)].extend(perms)
    return collected


# Which tie each role needs on its StaffProfile.
ROLE_TIES = {
    Role.COORDINATOR: None,
    Role.RECEPTIONIST: "location",
    Role.OFFICER: "location",
    Role.EMPLOYER: "employer",
    Role.MUNICIPALITY: "municipality",
    # A handler's handling organisation is an advice model (advice.HandlerMembership), which
    # scheduling's StaffProfile may not name: no StaffProfile tie; advice checks the membership
    # and shows a handler without one nothing.
    Role.HANDLER: None,
}


def roles_ensure() -> dict[str, Group]:
    """Create or update the role groups and their permissions (idempotent)."""
    groups = {}
    all_perms = list(Permission.objects.select_related("content_type"))
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_perms}
    registry = role_permissions()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = registry[role.value]
        perms = all_perms if wanted == ["*"] else [by_name[n] for n in wanted if n in by_name]
        group.permissions.set(perms)
        groups[role.value] = group
    return groups


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_bmip_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.COORDINATOR.value)
        user._bmip_roles = cached
    return cached


def user_has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & {str(r) for r in roles})


PROFILE_ACCESSOR = "bmip_profile"  # scheduling.StaffProfile.user's related_name


def _profile(user):
    """The user's StaffProfile with its ties (location, employer, municipality) in one query,
    kept in Django's cache of ``user.bmip_profile`` (so that accessor sees it too). Core does
    not import scheduling: the model is found through the relation."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        relation = user._meta.get_field(PROFILE_ACCESSOR)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: scheduling not installed
        return None
    if relation.is_cached(user):
        return relation.get_cached_value(user)
    ties = sorted({tie for tie in ROLE_TIES.values() if tie})
    profile = relation.related_model.objects.select_related(*ties).filter(user=user).first()
    relation.set_cached_value(user, profile)
    if profile is not None:
        relation.field.set_cached_value(profile, user)
    return profile


def user_employer(user):
    """The employer an employer-role user acts for, or None."""
    profile = _profile(user)
    return profile.employer if profile and user_has_role(user, Role.EMPLOYER) else None


def user_municipality(user):
    profile = _profile(user)
    return profile.municipality if profile and user_has_role(user, Role.MUNICIPALITY) else None


def user_location(user):
    profile = _profile(user)
    if profile and user_has_role(user, Role.RECEPTIONIST, Role.OFFICER):
        return profile.location
    return None


def is_coordinator(user) -> bool:
    return user_has_role(user, Role.COORDINATOR)
