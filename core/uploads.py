"""Upload size cap: a request body over ``UPLOAD_MAX_BYTES`` (plus a little room for the other
form fields) is refused with 413 from its Content-Length, before Django parses a byte of it."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import TooLarge

FORM_FIELDS_ROOM = 64 * 1024


def upload_size_check(request) -> None:
    """Raise ``TooLarge`` (413 ``upload_too_large``) for a body over the cap."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.UPLOAD_MAX_BYTES + FORM_FIELDS_ROOM:
        raise TooLarge(
            _("The file is larger than %(mb).1f MB.")
            % {"mb": settings.UPLOAD_MAX_BYTES / 1024 / 1024}
        )
