"""How the API reports errors: every refused input answers 400 `{"errors": [Problem, ...]}`.

Problems from the engine and from the API's own checks share one shape (engine.Problem.to_dict),
so the editor shows them the same way and can point at the task, edge or field at fault.
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

import engine
from engine.exports import ExportError

from .dags import DocumentRejected, VersionConflict, problem


class VersionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Say which version you edited: a `version` field in the body or an If-Match header."
    )
    default_code = "version_required"


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DocumentRejected):
        return Response({"errors": exc.problems}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, engine.InvalidDocument):
        errors = [p.to_dict() for p in exc.problems]
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ExportError):
        return Response(
            {"errors": [problem("export_failed", str(exc), "format")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, VersionConflict):
        return Response(
            {"detail": str(exc), "current_version": exc.current},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, ParseError):
        return Response(
            {"errors": [problem("parse_error", str(exc.detail))]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ValidationError):
        return Response(
            {"errors": list(_problems_from_detail(exc.detail))},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def _problems_from_detail(detail: Any, path: str | None = None):
    """Flatten DRF's nested `{field: [messages]}` into Problems that name the field's path."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = None if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            yield from _problems_from_detail(value, sub if sub is not None else path)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            for item in detail:
                yield _field_problem(item, path)
        else:
            for index, item in enumerate(detail):
                yield from _problems_from_detail(item, f"{path}[{index}]" if path else f"[{index}]")
    else:
        yield _field_problem(detail, path)


def _field_problem(message: Any, path: str | None) -> dict[str, Any]:
    code = getattr(message, "code", None) or "invalid"
    text = f"{path}: {message}" if path else str(message)
    return problem(str(code), text, path)
