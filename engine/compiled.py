"""A DAG compiled to integer-indexed arrays for the scheduling loop.

Tasks are indexed in task_id order, which is also the order in which Airflow's model applies
tries that end at the same instant.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import topological_order
from .spec import DEFAULT_POOL, SKIPPING_OPERATORS, Dag, Operator, WeightRule
from .trigger_rules import RULES, RuleFn, TriggerRule


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
    leaves: list[int]
    _priority: list[int] | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def priority(self) -> list[int]:
        """Airflow's priority_weight_total per task, computed once on first use."""
        if self._priority is None:
            self._priority = _priority_weights(self)
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
        leaves=[i for i in range(len(ids)) if not down[i]],
    )


def _priority_weights(c: CompiledDag) -> list[int]:
    # Airflow sums the weights of the *set* of descendants (downstream) or ancestors (upstream),
    # not of paths. Reachability sets are Python-int bitsets, built in topological order.
    tasks = c.dag.tasks_by_id
    own = [tasks[tid].priority_weight for tid in c.ids]
    rules = [tasks[tid].weight_rule for tid in c.ids]
    uniform = all(w == 1 for w in own)
    order = sorted(range(c.size), key=c.topo_rank.__getitem__)
    result = list(own)
    for rule, nxt, walk in ((WeightRule.DOWNSTREAM, c.down, order[::-1]),
                            (WeightRule.UPSTREAM, c.up, order)):
        if rule not in rules:
            continue
        reach = _reach(walk, nxt, c.size)
        for i in range(c.size):
            if rules[i] is rule:
                bits = reach[i]
                result[i] = own[i] + (bits.bit_count() if uniform else _weight_of(bits, own))
    return result


def _reach(order: list[int], nxt: list[list[int]], n: int) -> list[int]:
    reach = [0] * n
    for i in order:
        bits = 0
        for j in nxt[i]:
            bits |= reach[j] | (1 << j)
        reach[i] = bits
    return reach


def _weight_of(bits: int, own: list[int]) -> int:
    total = 0
    while bits:
        low = bits & -bits
        total += own[low.bit_length() - 1]
        bits ^= low
    return total
