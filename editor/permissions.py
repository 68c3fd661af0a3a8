"""Who may touch what.

Ownership is enforced by the querysets in editor/api.py (a stranger's id is simply not found:
404, never 403, so ids of other users' DAGs cannot be probed). This module holds the helpers
that build those querysets, so pages and API views filter the same way.
"""

from django.db.models import QuerySet

from .models import Dag, Run


def dags_of(user) -> QuerySet[Dag]:
    return Dag.objects.filter(owner=user)


def runs_of(user) -> QuerySet[Run]:
    return Run.objects.filter(dag__owner=user).select_related("dag")
