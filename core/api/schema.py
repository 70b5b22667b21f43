"""OpenAPI: the error body and the catalogue of error codes, documented once for all apps."""

import copy

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


# Integer ranges Django adds to model fields from the database backend in use (SQLite and
# PostgreSQL differ); the schema is the same whatever DATABASE_URL it is generated with.
_DATABASE_BOUNDS = {
    "maximum": {32767, 2147483647, 9223372036854775807},
    "minimum": {-32768, -2147483648, -9223372036854775808},
}


def _strip_bounds(node):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            stripped = False
            for key, values in _DATABASE_BOUNDS.items():
                if node.get(key) in values:
                    del node[key]
                    stripped = True
            if stripped and node.get("format") == "int64":
                del node["format"]
        for value in node.values():
            _strip_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _strip_bounds(value)


def database_bounds_postprocess(result, generator, request, public):
    """Remove the integer bounds that come from the database backend, not from the API."""
    _strip_bounds(result)
    return result


_ERROR_DESCRIPTIONS = {
    "400": "Invalid input (field problems in `errors`).",
    "401": "Not authenticated.",
    "403": "Not allowed for this user.",
    "404": "Not found, or outside the user's scope.",
    "409": "Conflict with the current state (or busy, or an Idempotency-Key reused).",
    "413": "The upload is larger than the cap (UPLOAD_MAX_BYTES); refused before parsing.",
    "415": "Unsupported media type of the request body.",
    "429": "Too many requests (throttled, core.api.throttles): wait the seconds in Retry-After.",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer"},
    }
}
_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _takes_a_file(operation: dict, schemas: dict) -> bool:
    """Whether the operation's multipart body has a file field (an upload)."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema", {})
    if "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    properties = schema.get("properties", {}).values()
    return any(field.get("format") == "binary" for field in properties)


def _error_statuses(path: str, method: str, operation: dict, schemas: dict) -> set[str]:
    """The error statuses an operation can answer with, from what it takes and how."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    # Every API view has the default throttles (anonymous per address, users per user).
    statuses = {"403", "429"}
    if any(security for security in operation.get("security", [])):
        statuses.add("401")
    if has_body or any(parameter["in"] == "query" for parameter in parameters):
        statuses.add("400")
    if has_body or parameters or "{" in path:
        statuses.add("404")
    if method != "get":
        statuses.add("409")
    if has_body:
        statuses.add("415")
    if _takes_a_file(operation, schemas):
        statuses.add("413")  # an upload over the cap (core.uploads.upload_size_check)
    return statuses


def error_responses_postprocess(result, generator, request, public):
    """Document on every /api/ operation the error statuses it can return, each with the
    ``Error`` body; statuses a view documents itself keep their description."""
    schemas = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _error_statuses(path, method, operation, schemas):
                responses.setdefault(code, {"description": _ERROR_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = copy.deepcopy(_ERROR_CONTENT)
                if code == "429":
                    response["headers"] = copy.deepcopy(_RETRY_AFTER)
            operation["responses"] = dict(sorted(responses.items()))
    return result
