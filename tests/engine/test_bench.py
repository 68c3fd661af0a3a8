"""The benchmark keeps working (figures are printed by `python -m engine.bench`, not asserted)."""

from engine.bench import bench, random_dag
from engine.validate import validate_scenario


def test_the_benchmark_dag_is_valid_and_runs_to_the_end():
    doc, scenario = random_dag(500, seed=3)
    assert not [p for p in validate_scenario(doc, scenario) if p.is_error]
    figures = bench(500, seed=3)
    assert figures["tasks"] == 500 and figures["events"] > 500
    assert figures["peak_bytes_per_task"] > 0
