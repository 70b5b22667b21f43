"""Who may use the counter app's pages and API (one place; rows are scoped by selectors)."""

from rest_framework.permissions import BasePermission

from core.roles import Role, user_has_role


def can_read_invoices(user) -> bool:
    """Invoices are for coordinators and employers (their own); desk staff and municipalities
    have no business with them (403; an invoice out of an employer's scope stays 404)."""
    return user_has_role(user, Role.COORDINATOR, Role.EMPLOYER)


class InvoiceReaders(BasePermission):
    def has_permission(self, request, view):
        return can_read_invoices(request.user)
