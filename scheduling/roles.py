"""Roles are Django groups with model permissions; a StaffProfile ties a user to its scope.

employer -> one Employer, municipality -> one Municipality, receptionist/officer -> one
Location, coordinator -> everything. Later apps scope every query through these helpers.
"""

from django.contrib.auth.models import Group, Permission

from scheduling.constants import Role

# Which model permissions each role's group holds ("app_label.codename"). Apps add their own
# models here as they grow; ``roles_ensure`` skips permissions whose model does not exist yet.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATOR: ["*"],
    Role.RECEPTIONIST: [
        "scheduling.view_location",
        "scheduling.view_counter",
        "scheduling.view_appointment",
        "scheduling.view_client",
        "scheduling.add_client",
        "scheduling.add_appointment",
        "kiosk.view_queueticket",
        "kiosk.add_queueticket",
        "kiosk.view_walkinpolicy",
    ],
    Role.OFFICER: [
        "scheduling.view_location",
        "scheduling.view_counter",
        "scheduling.view_appointment",
        "scheduling.view_client",
        "scheduling.change_leg",
        "counter.view_servicerecord",
        "counter.add_servicerecord",
        "counter.view_feeline",
        "counter.add_feeline",
        "counter.view_tariff",
        "counter.add_visitclosure",
        "kiosk.view_queueticket",
        "kiosk.change_queueticket",
        "kiosk.view_callevent",
        "kiosk.add_callevent",
    ],
    Role.EMPLOYER: [
        "scheduling.view_groupbooking",
        "scheduling.add_groupbooking",
        "scheduling.change_groupbooking",
        "scheduling.view_ticketbatch",
        "scheduling.add_ticketbatch",
        "scheduling.view_appointment",
        "scheduling.view_client",
        "scheduling.add_client",
        "counter.view_invoice",
    ],
    Role.MUNICIPALITY: [
        "scheduling.view_municipality",
        "counter.view_settlementperiod",
        "counter.view_settlementline",
        "counter.view_statement",
        "counter.view_settlementpayment",
    ],
}

# Which tie each role needs on its StaffProfile.
ROLE_TIES = {
    Role.COORDINATOR: None,
    Role.RECEPTIONIST: "location",
    Role.OFFICER: "location",
    Role.EMPLOYER: "employer",
    Role.MUNICIPALITY: "municipality",
}


def roles_ensure() -> dict[str, Group]:
    """Create or update the role groups and their permissions (idempotent)."""
    groups = {}
    all_perms = list(Permission.objects.select_related("content_type"))
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_perms}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS[role]
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


def _profile(user):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.bmip_profile
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None


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
