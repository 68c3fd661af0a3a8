"""A DAG compiled to integer-indexed arrays for the scheduling loop.

Tasks are indexed in task_id order, which is also the order in which Airflow's model applies
tries that end at the same instant.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import topological_order
from .spec import DEFAULT_POOL, SKIPPING_OPERATORS, Dag, Operator, WeightRule
from .trigger_rules import RULES, WAIT_THROUGH_EARLY_SUCCESS, RuleFn, TriggerRule


@dataclass(slots=True)
class CompiledDag:
    dag: Dag
    ids: list[str]
    index: dict[str, int]
    up: list[list[int]]
    down: list[list[int]]
    topo_rank: list[int]
    rule: list[TriggerRule]
    rule_fn: list[RuleFn]
    operator: list[Operator]
    duration: list[float]
    retries: list[int]
    retry_delay: list[float]
    pool: list[str]
    pool_slots: list[int]
    skipping: list[bool]
    ignore_downstream: list[bool]
    # 1 where a success of one upstream, with others unfinished, cannot change a wait.
    waits_through_success: bytearray
    leaves: list[int]
    _priority: list[int] | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def priority(self, targets: list[int] | None = None) -> list[int]:
        """Airflow's priority_weight_total for ``targets`` (default: every task), computed once.

        Only tasks that can wait for a slot need it; others keep their own weight.
        """
        if self._priority is None:
            chosen = list(range(self.size)) if targets is None else targets
            self._priority = _priority_weights(self, chosen)
        return self._priority


def compile_dag(dag: Dag) -> CompiledDag:
    tasks = sorted(dag.tasks, key=lambda t: t.task_id)
    ids = [t.task_id for t in tasks]
    index = {tid: i for i, tid in enumerate(ids)}
    up: list[list[int]] = [[] for _ in ids]
    down: list[list[int]] = [[] for _ in ids]
    seen = set()
    for a, b in dag.edges:
        ia, ib = index[a], index[b]
        if (ia, ib) in seen:
            continue
        seen.add((ia, ib))
        down[ia].append(ib)
        up[ib].append(ia)
    order, _ = topological_order(down)
    rank = [0] * len(ids)
    for r, i in enumerate(order):
        rank[i] = r
    return CompiledDag(
        dag=dag,
        ids=ids,
        index=index,
        up=up,
        down=down,
        topo_rank=rank,
        rule=[t.trigger_rule for t in tasks],
        rule_fn=[RULES[t.trigger_rule] for t in tasks],
        operator=[t.operator for t in tasks],
        duration=[t.duration_s for t in tasks],
        retries=[t.retries for t in tasks],
        retry_delay=[t.retry_delay_s for t in tasks],
        pool=[t.pool or DEFAULT_POOL for t in tasks],
        pool_slots=[t.pool_slots for t in tasks],
        skipping=[t.operator in SKIPPING_OPERATORS for t in tasks],
        ignore_downstream=[t.ignore_downstream_trigger_rules for t in tasks],
        waits_through_success=bytearray(
            t.trigger_rule in WAIT_THROUGH_EARLY_SUCCESS for t in tasks
        ),
        leaves=[i for i in range(len(ids)) if not down[i]],
    )


def _priority_weights(c: CompiledDag, targets: list[int]) -> list[int]:
    """Own weight plus the weights of the *set* of descendants (rule downstream) or ancestors
    (rule upstream), as Airflow sums them, for the ``targets``.

    Sweeping the DAG in topological order, each task carries the bitset of targets above it;
    adding those bitsets into bit-sliced counters (one per distinct weight) counts, for every
    target at once, the tasks below it. Bitsets die with their last child, so memory stays
    proportional to the graph's width, not to tasks x targets.
    """
    tasks = c.dag.tasks_by_id
    own = [tasks[tid].priority_weight for tid in c.ids]
    result = list(own)
    order = sorted(range(c.size), key=c.topo_rank.__getitem__)
    for rule, prev, nxt, walk in (
        (WeightRule.DOWNSTREAM, c.up, c.down, order),
        (WeightRule.UPSTREAM, c.down, c.up, order[::-1]),
    ):
        chosen = [i for i in targets if tasks[c.ids[i]].weight_rule is rule]
        if not chosen:
            continue
        totals = _sum_over_relatives(chosen, own, prev, nxt, walk)
        for i, extra in zip(chosen, totals, strict=True):
            result[i] = own[i] + extra
    return result


def _sum_over_relatives(
    targets: list[int], own: list[int], prev: list[list[int]], nxt: list[list[int]], walk: list[int]
) -> list[int]:
    position = {t: b for b, t in enumerate(targets)}
    carried: dict[int, int] = {}
    children_left = [len(x) for x in nxt]
    planes: dict[int, list[int]] = {}  # weight -> bit-sliced counters
    for v in walk:
        bits = 0
        for p in prev[v]:
            bits |= carried[p]
            if p in position:
                bits |= 1 << position[p]
            children_left[p] -= 1
            if children_left[p] == 0:
                del carried[p]
        if bits:
            _add(planes.setdefault(own[v], []), bits)
        if children_left[v]:
            carried[v] = bits
    totals = [0] * len(targets)
    width = len(targets)
    for weight, counters in planes.items():
        for level, plane in enumerate(counters):
            digits = format(plane, "b").zfill(width)[::-1]
            step = weight << level
            for b in range(width):
                if digits[b] == "1":
                    totals[b] += step
    return totals


def _add(planes: list[int], bits: int) -> None:
    level = 0
    while bits:
        if level == len(planes):
            planes.append(bits)
            return
        plane = planes[level]
        planes[level] = plane ^ bits
        bits &= plane
        level += 1
