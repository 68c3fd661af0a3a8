"""Starting points offered when a user creates a DAG from the list page."""

import copy
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    title: str
    document: dict
    scenarios: dict

    def copy_named(self, dag_id: str | None) -> tuple[dict, dict]:
        """A fresh copy of the document (renamed when `dag_id` is given) and its scenarios."""
        document = copy.deepcopy(self.document)
        if dag_id:
            document["dag_id"] = dag_id
        return document, copy.deepcopy(self.scenarios)


def _load(name: str) -> Example:
    data = json.loads((Path(__file__).parent / f"{name}.json").read_text())
    return Example(data["title"], data["document"], data["scenarios"])


EXAMPLES = {"blank": _load("blank"), "umbrella": _load("umbrella")}
