"""File downloads: the one way a view hands a generated file to the user.

Built on Django's ``FileResponse(as_attachment=..., filename=...)``, which encodes non-ASCII
file names correctly (RFC 6266 ``filename*``). Generated documents may carry personal data:
``Cache-Control: private, no-store``.
"""

import io

from django.http import FileResponse

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}


def file_response(
    content: bytes | str, *, filename: str, download: bool = True, content_type: str = ""
) -> FileResponse:
    """A response carrying ``content`` as ``filename`` (attachment, or inline to view)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    extension = filename.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=download,
        filename=filename,
        content_type=content_type or CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response
