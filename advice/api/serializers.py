"""Output serializers of the report-point API (read-only; no logic here)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from advice.models import Report
from advice.selectors import reporter_visible


class ReporterOut(serializers.Serializer):
    name = serializers.CharField()
    contact = serializers.CharField()


class ReportOut(serializers.ModelSerializer):
    """A case. ``reporter`` is the reporter's name and contact, only for a handler of the
    organisation handling the case and only while they are kept (null otherwise, also for
    coordinators); the follow-up secret is never stored, let alone returned."""

    municipality = serializers.CharField(source="municipality.cbs_code", allow_null=True)
    municipality_name = serializers.CharField(source="municipality.name", allow_null=True)
    organisation = serializers.CharField(source="organisation.code", allow_null=True)
    attachments = serializers.IntegerField(source="attachment_count")
    notes = serializers.IntegerField(source="note_count")
    reporter = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "receipt_number",
            "channel",
            "language",
            "category",
            "municipality",
            "municipality_name",
            "address",
            "concerned_party",
            "description",
            "status",
            "outcome",
            "organisation",
            "due_date",
            "created_at",
            "first_response_at",
            "closed_at",
            "attachments",
            "notes",
            "reporter",
        ]

    @extend_schema_field(ReporterOut(allow_null=True))
    def get_reporter(self, report: Report) -> dict | None:
        user = self.context["request"].user
        if not report.has_reporter or not reporter_visible(user, report):
            return None
        return {"name": report.reporter_name, "contact": report.reporter_contact}
