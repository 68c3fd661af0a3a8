"""The DAG as an interchange (``dagsim/1``) JSON document: what dagsim itself imports back
unchanged."""

from __future__ import annotations

import json
from typing import Any

from . import Exported, file_stem

MEDIA_TYPE = "application/json"


def export_json(doc: dict[str, Any]) -> Exported:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return Exported(text.encode(), MEDIA_TYPE, f"{file_stem(doc['dag_id'])}.json")
