"""Reads of the activities app, scoped by role: a registration outside the user's scope is
answered with 404 (never 403, which would reveal it)."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from activities.constants import RegistrationState
from activities.models import Registration, Session
from core.exceptions import NotFound
from core.roles import Role, is_coordinator, user_employer, user_has_role, user_location

PORTAL_ROLES = (Role.COORDINATOR, Role.EMPLOYER, Role.RECEPTIONIST, Role.OFFICER)
DOOR_ROLES = (Role.COORDINATOR, Role.RECEPTIONIST, Role.OFFICER)


def sessions_for_user(user) -> QuerySet[Session]:
    """Sessions on offer: employers see every session (they register for them); desk staff
    the sessions of their own desk or bus."""
    qs = Session.objects.select_related("activity", "location")
    if is_coordinator(user) or user_employer(user) is not None:
        return qs
    location = user_location(user)
    if location is not None:
        return qs.filter(location=location)
    return qs.none()


def sessions_upcoming(user) -> QuerySet[Session]:
    return (
        sessions_for_user(user)
        .filter(date__gte=timezone.localdate())
        .annotate(
            taken=Count(
                "participants",
                filter=Q(
                    participants__registration__state=RegistrationState.CONFIRMED,
                    participants__cancelled_at__isnull=True,
                ),
            )
        )
    )


def door_session_for_user(user, session_id: int) -> Session:
    """A session whose door the user may keep: coordinators any, desk staff their own."""
    if not user_has_role(user, *DOOR_ROLES):
        raise NotFound()
    session = sessions_for_user(user).filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    return session


def registrations_for_user(user) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("session__activity", "session__location", "employer")
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        return qs.filter(employer=employer)
    location = user_location(user)
    if location is not None:
        return qs.filter(session__location=location)
    return qs.none()


def registration_for_user(user, reference: str) -> Registration:
    registration = registrations_for_user(user).filter(reference=reference).first()
    if registration is None:
        raise NotFound()
    return registration
