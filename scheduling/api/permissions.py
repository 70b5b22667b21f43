from rest_framework.permissions import BasePermission

from core.roles import Role, user_has_role

STAFF_ROLES = (Role.COORDINATOR, Role.RECEPTIONIST, Role.OFFICER)


class IsDeskStaff(BasePermission):
    """Coordinators, receptionists and counter officers."""

    def has_permission(self, request, view):
        return user_has_role(request.user, *STAFF_ROLES)


class IsDeskStaffOrEmployer(BasePermission):
    """Desk staff, or an employer reading its own workers' appointments."""

    def has_permission(self, request, view):
        return user_has_role(request.user, *STAFF_ROLES, Role.EMPLOYER)
