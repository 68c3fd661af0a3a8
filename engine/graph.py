"""Graph helpers over integer-indexed adjacency lists (fast enough for 100,000 tasks)."""

from __future__ import annotations

from collections.abc import Sequence


def topological_order(downstream: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """Kahn's algorithm: (order, leftover); ``leftover`` is non-empty exactly on a cycle."""
    n = len(downstream)
    indegree = [0] * n
    for children in downstream:
        for c in children:
            indegree[c] += 1
    stack = [i for i in range(n - 1, -1, -1) if indegree[i] == 0]
    order: list[int] = []
    while stack:
        node = stack.pop()
        order.append(node)
        for c in downstream[node]:
            indegree[c] -= 1
            if indegree[c] == 0:
                stack.append(c)
    leftover = [i for i in range(n) if indegree[i] > 0] if len(order) < n else []
    return order, leftover


def find_cycle(downstream: Sequence[Sequence[int]], among: Sequence[int]) -> list[int]:
    """One cycle as a closed path ``[a, b, c, a]``, searched among the nodes Kahn left over."""
    inside = set(among)
    color: dict[int, int] = {}  # 1 = on the current path, 2 = done
    for start in among:
        if start in color:
            continue
        path = [start]
        iters = [iter(downstream[start])]
        color[start] = 1
        while iters:
            for child in iters[-1]:
                if child not in inside:
                    continue
                if color.get(child) == 1:
                    return path[path.index(child) :] + [child]
                if child not in color:
                    color[child] = 1
                    path.append(child)
                    iters.append(iter(downstream[child]))
                    break
            else:
                color[path.pop()] = 2
                iters.pop()
    return []


def descendants(downstream: Sequence[Sequence[int]], roots: Sequence[int]) -> set[int]:
    """Every node reachable from ``roots`` (the roots themselves excluded unless reachable)."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        for c in downstream[stack.pop()]:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return seen
