"""OpenAPI: the error body and the catalogue of error codes, documented once for all apps."""

from core.errors import all_error_codes


def error_schema_postprocess(result, generator, request, public):
    """Add ``Error`` (the body of every 4xx answer) and ``ErrorCode`` (every code in the
    catalogues of core.errors, grouped by app in the description) to the components."""
    catalogues = all_error_codes()
    codes = sorted({code for app_codes in catalogues.values() for code in app_codes})
    lines = [f"- {app}: {', '.join(app_codes)}" for app, app_codes in catalogues.items()]
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorCode"] = {
        "type": "string",
        "enum": codes,
        "description": "Every error code the API can answer with, by app:\n" + "\n".join(lines),
    }
    schemas["Error"] = {
        "type": "object",
        "description": "The body of every error answer under /api/.",
        "properties": {
            "code": {"$ref": "#/components/schemas/ErrorCode"},
            "detail": {"type": "string", "description": "A message for people, translated."},
            "errors": {
                "type": "object",
                "additionalProperties": True,
                "description": "Per field: the problems with that field.",
            },
        },
        "required": ["code", "detail"],
    }
    return result
