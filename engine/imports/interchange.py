"""Interchange (``dagsim/1``) JSON documents, as the JSON export writes them."""

from __future__ import annotations

import json
from typing import Any

from ..problems import InvalidDocument, Problem


def import_json(text: str, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    """The DAG document in ``text``; also accepts a conformance case's ``{"dag": {...}}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            [
                Problem(
                    "bad_json",
                    f"`{filename}` is not valid JSON: {exc.msg} at line {exc.lineno}, "
                    f"column {exc.colno}",
                    data={"line": exc.lineno, "column": exc.colno},
                )
            ]
        ) from None
    except RecursionError:
        raise InvalidDocument([Problem("bad_json", f"`{filename}` is nested too deeply")]) from None
    if isinstance(data, dict) and "tasks" not in data and isinstance(data.get("dag"), dict):
        data = data["dag"]
    if not isinstance(data, dict):
        raise InvalidDocument(
            [Problem("not_an_object", f"`{filename}` must hold one DAG document (a JSON object)")]
        )
    return data, []
