"""One pagination for the API: limit/offset with bounds; out of range is a 400, not a 500."""

from django.utils.translation import gettext as _
from rest_framework.pagination import LimitOffsetPagination

from core.errors import CoreError
from core.exceptions import ValidationFailed

MAX_LIMIT = 500
# Far beyond any list this system holds; keeps the SQL OFFSET inside every backend's range.
MAX_OFFSET = 1_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def _bounded(self, request, name, minimum, maximum, default):
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not minimum <= value <= maximum:
            message = _("Must be a whole number from %(minimum)s to %(maximum)s.") % {
                "minimum": minimum,
                "maximum": maximum,
            }
            raise ValidationFailed(
                _("Invalid input."), code=CoreError.INVALID, details={name: [message]}
            )
        return value

    def get_limit(self, request):
        return self._bounded(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request):
        return self._bounded(request, self.offset_query_param, 0, MAX_OFFSET, 0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: (1, self.max_limit),
            self.offset_query_param: (0, MAX_OFFSET),
        }
        for parameter in parameters:
            if parameter["name"] in bounds:
                minimum, maximum = bounds[parameter["name"]]
                parameter["schema"] = {"type": "integer", "minimum": minimum, "maximum": maximum}
        return parameters
