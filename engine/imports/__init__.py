"""Bring a DAG into dagsim from a file: an Airflow ``.py`` DAG file (read with ``ast``, never
imported or executed), dag-factory YAML (loaded safely) or an interchange JSON document.

``import_file(filename, content)`` picks the reader by the file's extension and returns the
interchange document with the warnings gathered on the way. The document has passed
``validate_dag``; anything that stops it (unreadable file, no DAG, a cycle, a duplicate task id)
raises ``InvalidDocument`` whose problems say what and, for Python, on which line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..problems import ERROR, WARNING, InvalidDocument, Problem
from ..spec import normalize_document
from ..validate import validate_dag

# Real DAG files are a few kilobytes; these limits keep a hostile upload from costing much.
MAX_BYTES = {".py": 1_000_000, ".yaml": 2_000_000, ".yml": 2_000_000, ".json": 5_000_000}


@dataclass
class Imported:
    document: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)


def fail(code: str, message: str, **where: Any) -> InvalidDocument:
    return InvalidDocument([Problem(code, message, severity=ERROR, **where)])


def import_file(filename: str, content: bytes) -> Imported:
    """The DAG in ``content`` (named ``filename``) as a validated interchange document.

    Raises ``InvalidDocument`` for an unsupported extension, a file over the size limit, text
    that is not UTF-8, a file that cannot be parsed, or a DAG that does not validate.
    """
    name = str(filename or "")
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    if extension not in MAX_BYTES:
        raise fail(
            "unsupported_file",
            f"cannot import `{name or 'the file'}`: dagsim imports Airflow DAG files "
            "(.py), dag-factory YAML (.yaml, .yml) and interchange JSON (.json)",
        )
    limit = MAX_BYTES[extension]
    if len(content) > limit:
        raise fail(
            "file_too_large",
            f"`{name}` is {len(content):,} bytes; the limit for {extension} files is "
            f"{limit:,} bytes",
            data={"limit": limit, "size": len(content)},
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            "not_utf8",
            f"`{name}` is not UTF-8 text (byte {exc.start} cannot be read)",
            data={"offset": exc.start},
        ) from None

    if extension == ".py":
        from .airflow_ast import import_python

        document, warnings = import_python(text, name)
    elif extension == ".json":
        from .interchange import import_json

        document, warnings = import_json(text, name)
    else:
        from .dag_factory import import_yaml

        document, warnings = import_yaml(text, name)
    return finish(document, warnings)


def finish(document: dict[str, Any], warnings: list[Problem]) -> Imported:
    """Validate what a reader produced; its errors raise, its warnings join the reader's."""
    problems = validate_dag(document)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise InvalidDocument([*errors, *[p for p in warnings if p.severity == ERROR]])
    return Imported(
        normalize_document(document), [*warnings, *[p for p in problems if p.severity == WARNING]]
    )


__all__ = ["MAX_BYTES", "Imported", "import_file"]
