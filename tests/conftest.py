"""Shared fixtures: the personas every web test uses.

`owner` has DAGs and runs; `stranger` is another account who must never see or change them.
"""

import copy
import json
from pathlib import Path

import pytest

UMBRELLA = json.loads(
    (Path(__file__).resolve().parent.parent / "editor" / "examples" / "umbrella.json").read_text()
)


@pytest.fixture
def umbrella_document() -> dict:
    return copy.deepcopy(UMBRELLA["document"])


@pytest.fixture
def umbrella_scenarios() -> dict:
    return copy.deepcopy(UMBRELLA["scenarios"])
