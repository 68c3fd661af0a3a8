"""Additions to the generated OpenAPI schema: answers every endpoint can give.

Authentication, throttling and the body-size limit apply to the whole API, so rather than
repeat them on every view they are added here (a drf-spectacular postprocessing hook).
"""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
TOO_LARGE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "limit_bytes": {"type": "integer"}},
    "required": ["detail"],
}

COMMON = {
    "401": ("Not signed in, or a wrong token.", DETAIL),
    "403": ("Signed in by session without the CSRF token.", DETAIL),
    "429": ("Too many requests; retry after the Retry-After header's seconds.", DETAIL),
}
WITH_BODY = {"413": ("The request body is larger than MAX_REQUEST_BYTES.", TOO_LARGE)}
NOT_FOUND = {"404": ("No such object of yours, or no such page of results.", DETAIL)}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_common_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            extra = dict(COMMON)
            if method in {"post", "put", "patch"}:
                extra.update(WITH_BODY)
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "page" in names or "{" in path:
                extra.update(NOT_FOUND)
            if path == "/api/schema/":
                extra.pop("401")
                extra.pop("403")
            for code, (description, schema) in extra.items():
                operation["responses"].setdefault(code, _json(description, schema))
    return result
