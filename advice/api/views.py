"""Report-point API (read-only): a case handler lists and reads the cases of their own
handling organisation; coordinators all cases (without the reporter). Scoped like the case
pages (``advice.selectors.reports_for_user``): another organisation's case is 404, and every
other logged-in user (employer, municipality, desk staff) gets 404 too, so nothing tells them
that reports exist (reporter protection, docs/advice.md)."""

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated

from advice import selectors
from advice.api.serializers import ReportOut
from advice.constants import ReportCategory, ReportStatus


class _Reports:
    permission_classes = [IsAuthenticated]
    serializer_class = ReportOut

    def _reports(self):
        user = self.request.user
        if not selectors.can_read_reports(user):
            raise NotFound
        return selectors.reports_for_user(user).annotate(
            attachment_count=Count("attachments", distinct=True),
            note_count=Count("notes", distinct=True),
        )


@extend_schema(
    tags=["reports"],
    parameters=[
        OpenApiParameter("status", str, enum=list(ReportStatus.values)),
        OpenApiParameter("category", str, enum=list(ReportCategory.values)),
    ],
)
class ReportList(_Reports, generics.ListAPIView):
    def get_queryset(self):
        params = self.request.query_params
        qs = self._reports().order_by("-created_at", "-pk")
        if params.get("status") in ReportStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("category") in ReportCategory.values:
            qs = qs.filter(category=params["category"])
        return qs


@extend_schema(tags=["reports"])
class ReportDetail(_Reports, generics.RetrieveAPIView):
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        return self._reports()
