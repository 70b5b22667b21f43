"""Activities API (read-only): an employer lists its activity registrations (with the persons,
fees and attendance); coordinators see all, desk staff their desk's. Scoped like the portal
(``activities.selectors.registrations_for_user``): another employer's registration is 404;
roles without the activities portal (municipalities, case handlers) get 403."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import BasePermission

from activities import selectors
from activities.api.serializers import RegistrationOut
from activities.constants import RegistrationState
from activities.models import Participant
from core.dates import date_param
from core.roles import user_has_role


class IsActivitiesParty(BasePermission):
    def has_permission(self, request, view):
        return user_has_role(request.user, *selectors.PORTAL_ROLES)


def _registrations(user):
    return selectors.registrations_for_user(user).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.order_by("pk"))
    )


@extend_schema(
    tags=["activities"],
    parameters=[
        OpenApiParameter("state", str, enum=list(RegistrationState.values)),
        OpenApiParameter("date_from", str, description="Sessions on or after (YYYY-MM-DD)."),
        OpenApiParameter("date_to", str, description="Sessions on or before (YYYY-MM-DD)."),
    ],
)
class RegistrationList(generics.ListAPIView):
    permission_classes = [IsActivitiesParty]
    serializer_class = RegistrationOut

    def get_queryset(self):
        params = self.request.query_params
        qs = _registrations(self.request.user).order_by("session__date", "created_at", "pk")
        if params.get("state") in RegistrationState.values:
            qs = qs.filter(state=params["state"])
        date_from, date_to = date_param(params.get("date_from")), date_param(params.get("date_to"))
        if date_from:
            qs = qs.filter(session__date__gte=date_from)
        if date_to:
            qs = qs.filter(session__date__lte=date_to)
        return qs


@extend_schema(tags=["activities"])
class RegistrationDetail(generics.RetrieveAPIView):
    permission_classes = [IsActivitiesParty]
    serializer_class = RegistrationOut
    lookup_field = "reference"
    lookup_url_kwarg = "registration"

    def get_queryset(self):
        return _registrations(self.request.user)
