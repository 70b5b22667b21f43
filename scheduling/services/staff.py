"""Creating staff users with their role and tie."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import ValidationFailed
from core.roles import ROLE_TIES, Role, roles_ensure
from scheduling.errors import SchedulingError
from scheduling.models import StaffProfile


@transaction.atomic
def staff_user_upsert(
    *,
    username: str,
    password: str,
    role: str,
    employer=None,
    municipality=None,
    location=None,
    email: str = "",
    first_name: str = "",
    actor=None,
):
    """Create (or update) a user with exactly one role and the tie that role needs."""
    if role not in Role.values:
        raise ValidationFailed(
            _("Unknown role %(role)s.") % {"role": role}, code=SchedulingError.UNKNOWN_ROLE
        )
    ties = {"employer": employer, "municipality": municipality, "location": location}
    needed = ROLE_TIES[role]
    given = {k for k, v in ties.items() if v is not None}
    if needed and given != {needed}:
        raise ValidationFailed(
            _("A user with role %(role)s must be tied to exactly one %(tie)s.")
            % {"role": role, "tie": needed},
            code=SchedulingError.ROLE_TIE_REQUIRED,
        )
    if not needed and given:
        raise ValidationFailed(
            _("A coordinator is not tied to an employer, municipality or location."),
            code=SchedulingError.ROLE_TIE_FORBIDDEN,
        )
    groups = roles_ensure()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email, "first_name": first_name}
    )
    if created:
        user.set_password(password)
    user.is_staff = role == Role.COORDINATOR
    user.save()
    user.groups.set([groups[role]])
    StaffProfile.objects.update_or_create(user=user, defaults=ties)
    if created:
        audit_log(actor=actor, action="user.create", obj=user, role=role)
    return user
