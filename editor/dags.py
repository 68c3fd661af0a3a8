"""Every change to a stored DAG: create, update, rename, duplicate.

Views (API and pages alike) call these; they validate through the engine, keep `Dag.dag_id` in
step with the document and refuse a write based on a stale version, changing nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

import engine

from .models import Dag


class DocumentRejected(Exception):
    """The input was refused; `problems` lists every reason as Problem dicts."""

    def __init__(self, problems: list[dict[str, Any]]):
        self.problems = problems
        super().__init__(problems[0]["message"] if problems else "document rejected")


class VersionConflict(Exception):
    """The DAG was changed since the version the client edited."""

    def __init__(self, expected: int, current: int):
        self.expected = expected
        self.current = current
        super().__init__(
            f"The DAG was changed since version {expected} (it is now at version {current}); "
            "reload it and apply your change again."
        )


def problem(code: str, message: str, path: str | None = None, **data: Any) -> dict[str, Any]:
    return engine.Problem(code=code, message=message, path=path, field=path, data=data).to_dict()


def document_problems(owner, document: Any, exclude_pk: int | None = None) -> list[dict]:
    """The errors that stop `document` from being stored as one of `owner`'s DAGs."""
    if not isinstance(document, dict):
        return [problem("not_an_object", "The DAG document must be a JSON object.", "document")]
    errors = [p.to_dict() for p in engine.validate_dag(document) if p.is_error]
    if errors:
        return errors
    taken = Dag.objects.filter(owner=owner, dag_id=document["dag_id"])
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return [dag_id_taken(document["dag_id"])]
    return []


def dag_id_taken(dag_id: str) -> dict[str, Any]:
    return problem(
        "dag_id_taken",
        f"You already have a DAG called `{dag_id}`; DAG ids must be unique.",
        "dag_id",
        dag_id=dag_id,
    )


def editor_data_problems(layout: Any, scenarios: Any) -> list[dict]:
    problems = []
    if layout is not None and not isinstance(layout, dict):
        problems.append(problem("not_an_object", "`layout` must be a JSON object.", "layout"))
    if scenarios is not None:
        if not isinstance(scenarios, dict):
            problems.append(
                problem("not_an_object", "`scenarios` must map names to scenarios.", "scenarios")
            )
        else:
            for name, scenario in scenarios.items():
                if not name.strip() or len(name) > 200:
                    problems.append(
                        problem(
                            "bad_scenario_name",
                            "A scenario name must have 1 to 200 characters.",
                            "scenarios",
                        )
                    )
                if not isinstance(scenario, dict):
                    problems.append(
                        problem(
                            "not_an_object",
                            f"Scenario `{name}` must be a JSON object.",
                            f"scenarios.{name}",
                        )
                    )
    return problems


def _reject_if(problems: list[dict]) -> None:
    if problems:
        raise DocumentRejected(problems)


def create_dag(owner, document: Any, layout: Any = None, scenarios: Any = None) -> Dag:
    _reject_if(editor_data_problems(layout, scenarios) + document_problems(owner, document))
    try:
        with transaction.atomic():
            return Dag.objects.create(
                owner=owner,
                dag_id=document["dag_id"],
                document=document,
                layout=layout or {},
                scenarios=scenarios or {},
            )
    except IntegrityError:
        # Another request took the name between our check and the insert.
        raise DocumentRejected([dag_id_taken(document["dag_id"])]) from None


def update_dag(dag: Dag, expected_version: int, **changes: Any) -> Dag:
    """Apply `changes` (document, layout, scenarios) if `dag` is still at `expected_version`.

    The version check and the write are one conditional UPDATE, so of two writers that read the
    same version exactly one wins and the other gets VersionConflict.
    """
    fields = {k: v for k, v in changes.items() if k in {"document", "layout", "scenarios"}}
    problems = editor_data_problems(fields.get("layout"), fields.get("scenarios"))
    if "document" in fields:
        problems += document_problems(dag.owner, fields["document"], exclude_pk=dag.pk)
        if not problems:
            fields["dag_id"] = fields["document"]["dag_id"]
    _reject_if(problems)
    try:
        with transaction.atomic():
            changed = Dag.objects.filter(pk=dag.pk, version=expected_version).update(
                **fields, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        raise DocumentRejected([dag_id_taken(fields["dag_id"])]) from None
    if not changed:
        current = Dag.objects.filter(pk=dag.pk).values_list("version", flat=True).first()
        raise VersionConflict(expected_version, current or 0)
    dag.refresh_from_db()
    return dag


def rename_dag(dag: Dag, new_dag_id: str, expected_version: int | None = None) -> Dag:
    document = copy.deepcopy(dag.document)
    document["dag_id"] = new_dag_id
    version = dag.version if expected_version is None else expected_version
    return update_dag(dag, version, document=document)


def free_dag_id(owner, base: str) -> str:
    """`base` if unused, else `base_2`, `base_3`... (ids stay within Airflow's 250 characters)."""
    taken = set(
        Dag.objects.filter(owner=owner, dag_id__startswith=base[:240]).values_list(
            "dag_id", flat=True
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base[:240]}_{n}" in taken:
        n += 1
    return f"{base[:240]}_{n}"


def duplicate_dag(dag: Dag, new_dag_id: str | None = None) -> Dag:
    document = copy.deepcopy(dag.document)
    document["dag_id"] = new_dag_id or free_dag_id(dag.owner, f"{dag.dag_id}_copy")
    return create_dag(dag.owner, document, copy.deepcopy(dag.layout), copy.deepcopy(dag.scenarios))
