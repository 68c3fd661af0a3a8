"""Problems found in user input: data that the API, the CLI and the editor can all show.

A problem names what is wrong (a stable ``code``), where (``location``) and says it in words
(``message``). Errors stop a document from being loaded; warnings are reported beside a result.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    severity: str = ERROR
    path: str | None = None
    task_id: str | None = None
    edge: tuple[str, str] | None = None
    field: str | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "location": {
                "path": self.path,
                "task_id": self.task_id,
                "edge": list(self.edge) if self.edge else None,
                "field": self.field,
            },
            "data": dict(self.data),
        }

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.severity}: {where}{self.message}"


class InvalidDocument(ValueError):
    """A DAG or scenario document that cannot be simulated; ``problems`` lists every error."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = [p for p in problems if p.is_error]
        first = self.problems[0].message if self.problems else "invalid document"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `x`?)' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
