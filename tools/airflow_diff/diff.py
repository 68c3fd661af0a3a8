"""Differential runs: random and targeted DAGs through real Airflow 3 and through dagsim's engine.

    .venv/bin/python -m tools.airflow_diff.diff run --family random --seed 1 --count 200
    .venv/bin/python -m tools.airflow_diff.diff conformance     # the harness against the corpus
    .venv/bin/python -m tools.airflow_diff.diff save RESULTS.jsonl --sample 30 --to DIR

Needs Apache Airflow 3.3.2 (+ time-machine) in a separate venv, ``AIRFLOW_PYTHON`` (default
/tmp/af3/bin/python). Results go to ``--out`` as JSON lines ``{"case", "airflow", "verdict"}``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from .client import DEFAULT_PYTHON, AirflowRunner
from .compare import case_document, compare, save_case
from .generate import FAMILIES, generate

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "conformance" / "cases"


def run_cases(
    cases: list[dict], out: Path, jobs: int, python: str, time_limit: float
) -> list[dict]:
    """Run ``cases`` in Airflow (``jobs`` runner processes) and compare; stops at ``time_limit``."""
    out.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    lock = threading.Lock()
    todo = list(cases)
    deadline = time.monotonic() + time_limit
    sink = (out / "results.jsonl").open("a")

    def worker(n: int) -> None:
        with AirflowRunner(out / f"airflow{n}", python) as runner:
            while time.monotonic() < deadline:
                with lock:
                    if not todo:
                        return
                    case = todo.pop(0)
                airflow = runner.run(case)
                verdict = compare(case, airflow)
                row = {
                    "case": case,
                    "airflow": airflow,
                    "verdict": verdict.summary(),
                    "agrees": verdict.agrees,
                    "agrees_fully": verdict.agrees_fully,
                    "error": bool(verdict.error),
                }
                with lock:
                    results.append(row)
                    sink.write(json.dumps(row) + "\n")
                    sink.flush()
                    if not verdict.agrees:
                        print(f"DISAGREES {case['name']}: {verdict.summary()}", flush=True)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink.close()
    if todo:
        print(f"time limit: {len(todo)} cases not run", flush=True)
    return results


def summarise(results: list[dict]) -> str:
    by_family: dict[str, Counter] = {}
    for row in results:
        c = by_family.setdefault(row["case"]["category"], Counter())
        c["ran"] += 1
        c["error"] += row["error"]
        c["agree"] += row["agrees"]
        c["agree_fully"] += row["agrees_fully"]
    lines = [f"{'family':<16}{'ran':>6}{'agree':>7}{'+tries':>8}{'differ':>8}{'errors':>8}"]
    for fam, c in sorted(by_family.items()):
        differ = c["ran"] - c["agree"] - c["error"]
        lines.append(
            f"{fam:<16}{c['ran']:>6}{c['agree']:>7}{c['agree_fully']:>8}{differ:>8}{c['error']:>8}"
        )
    total = sum(c["ran"] for c in by_family.values())
    agree = sum(c["agree"] for c in by_family.values())
    lines.append(f"airflow_diff {agree}/{total} cases agree on final states and run state")
    return "\n".join(lines)


def cmd_run(args) -> int:
    families = list(FAMILIES) if args.family == "all" else args.family.split(",")
    cases = [c for fam in families for c in generate(fam, args.seed, args.count)]
    results = run_cases(cases, args.out, args.jobs, args.python, args.time_limit)
    print(summarise(results))
    return 0


def cmd_conformance(args) -> int:
    """Run the shared conformance corpus through the harness: it must give the corpus's results."""
    cases = []
    for path in sorted(CORPUS.glob("*.json")):
        c = json.loads(path.read_text())
        if args.category and c["category"] != args.category:
            continue
        cases.append(c)
    if args.sample:
        cases = random.Random(0).sample(cases, min(args.sample, len(cases)))
    results = run_cases(cases, args.out, args.jobs, args.python, args.time_limit)
    same = 0
    for row in results:
        c, a = row["case"], row["airflow"]
        if a.get("error"):
            print(f"ERROR {c['name']}: {a['error'][-300:]}")
            continue
        fields = ("expected", "tries")
        ok = all(a[f] == c[f] for f in fields) and a["run"] == c["run"]
        ok = ok and sorted(a["order"]) == sorted(c["order"])
        same += ok
        if not ok:
            print(f"HARNESS DIFFERS {c['name']}")
    print(f"harness reproduces {same}/{len(results)} corpus cases (states, tries, order, run)")
    return 0


def cmd_save(args) -> int:
    """Write a seeded sample of fully agreeing cases per family, and disagreeing ones on request
    (marked with ``--reason``: the tests expect the engine to fail them)."""
    rows = [json.loads(line) for f in args.results for line in Path(f).read_text().splitlines()]
    rows = [r for r in rows if not r["error"]]
    rng = random.Random(args.seed)
    by_family: dict[str, list[dict]] = {}
    for r in rows:
        if r["agrees_fully"] and len(r["case"]["dag"]["tasks"]) <= args.max_tasks:
            by_family.setdefault(r["case"]["category"], []).append(r)
    saved = 0
    for _, group in sorted(by_family.items()):
        for row in rng.sample(group, min(args.per_family, len(group))):
            save_case(args.to, case_document(row["case"], row["airflow"]))
            saved += 1
    if args.reason:
        for row in rows:
            if not row["agrees_fully"]:
                save_case(args.to, case_document(row["case"], row["airflow"], args.reason))
                saved += 1
    print(f"saved {saved} cases to {args.to}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="the Airflow venv's python")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/airflow_diff/out"))
    parser.add_argument("--time-limit", type=float, default=540, help="seconds, then stop")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run", help="generate cases and compare")
    p.add_argument(
        "--family", default="random", help=f"all or a comma list of {', '.join(FAMILIES)}"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=100, help="cases per family")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("conformance", help="check the harness reproduces the shared corpus")
    p.add_argument("--category")
    p.add_argument("--sample", type=int)
    p.set_defaults(func=cmd_conformance)
    p = sub.add_parser("save", help="write case files from results.jsonl")
    p.add_argument("results", nargs="+")
    p.add_argument("--to", type=Path, required=True)
    p.add_argument("--per-family", type=int, default=0, help="agreeing cases per family")
    p.add_argument("--max-tasks", type=int, default=10, help="only agreeing cases this small")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--reason", help="also save every disagreeing case, marked with this reason")
    p.set_defaults(func=cmd_save)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
