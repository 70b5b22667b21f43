"""The scheduling app's authorization policy, in one place.

Two questions, answered here for every page and API of the app (and its feature packages):

- *May this role use it at all?* DRF permission classes built on ``core.roles``. A role that
  may never use an endpoint gets 403.
- *Which rows?* Scoping by the user's tie (employer, location; coordinators everything) is in
  ``scheduling.selectors.scope``; a row outside the scope is answered with 404, never 403, so
  another tenant's records are not revealed. ``client_for_user`` below resolves a client id
  only inside that scope.
"""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from core.exceptions import NotFound
from core.roles import Role, user_has_role
from scheduling.errors import SchedulingError
from scheduling.selectors.scope import clients_for_user

STAFF_ROLES = (Role.COORDINATOR, Role.RECEPTIONIST, Role.OFFICER)
# Group bookings belong to the employer that made them; coordinators act for any employer.
# Desk staff see a group's workers through appointments, never the group booking API.
GROUP_BOOKING_ROLES = (Role.COORDINATOR, Role.EMPLOYER)


class IsDeskStaff(BasePermission):
    """Coordinators, receptionists and counter officers."""

    def has_permission(self, request, view):
        return user_has_role(request.user, *STAFF_ROLES)


class IsDeskStaffOrEmployer(BasePermission):
    """Desk staff, or an employer reading its own workers' appointments."""

    def has_permission(self, request, view):
        return user_has_role(request.user, *STAFF_ROLES, Role.EMPLOYER)


class IsGroupBookingParty(BasePermission):
    """The group-booking API: employers (their own groups, scoped to 404) and coordinators."""

    def has_permission(self, request, view):
        return user_has_role(request.user, *GROUP_BOOKING_ROLES)


def client_for_user(user, pk: int):
    """A client by id, only when the user may see that client (else 404, no existence leak)."""
    client = clients_for_user(user).filter(pk=pk).first()
    if client is None:
        raise NotFound(_("No such client."), code=SchedulingError.CLIENT_NOT_FOUND)
    return client
