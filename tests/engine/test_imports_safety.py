"""An uploaded file is data: importing it runs none of it, and hostile input costs little."""

import socket
import sys
import textwrap

import pytest

import engine
from engine.imports import MAX_BYTES, import_file

MALICIOUS = """
import os, socket, subprocess, this
from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

open({m1!r}, "w").write("written at module level")
os.system("touch {m2}")
connection = socket.create_connection(("127.0.0.1", {port}))
connection.sendall(b"hello from the DAG file")
__import__("os").system("touch {m3}")
exec("open({m4!r}, 'w')")
eval("__import__('os').system('touch {m5}')")
subprocess.run(["touch", {m6!r}])


def harmful(path=os.system("touch {m7}"), other=open({m8!r}, "w")):
    return os.system("touch {m9}")


class Sneaky(EmptyOperator):
    def __init__(self, **kwargs):
        os.system("touch {m10}")
        super().__init__(**kwargs)


default_args = {{
    "retries": 1,
    "on_failure_callback": os.system("touch {m11}"),
    "owner": open({m12!r}, "w"),
}}

with DAG("evil", default_args=default_args):
    first = EmptyOperator(task_id="first", doc_md=os.system("touch {m13}"))
    second = Sneaky(task_id="second")
    first >> second
    harmful()
"""


def test_a_malicious_dag_file_is_read_without_running_any_of_it(tmp_path):
    markers = {f"m{i}": str(tmp_path / f"marker_{i}") for i in range(1, 14)}
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    modules_before = set(sys.modules)
    try:
        source = MALICIOUS.format(port=listener.getsockname()[1], **markers)
        imported = import_file("evil.py", source.encode())
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()

    assert not any((tmp_path / f"marker_{i}").exists() for i in range(1, 14))
    assert list(tmp_path.iterdir()) == []
    assert "this" not in set(sys.modules) - modules_before
    assert [t["task_id"] for t in imported.document["tasks"]] == ["first", "second"]
    assert imported.document["edges"] == [["first", "second"]]
    assert imported.document["default_args"] == {"retries": 1}
    assert any(w.code == "unknown_operator" and "Sneaky" in w.message for w in imported.warnings)
    not_understood = [w for w in imported.warnings if w.code == "not_understood"]
    assert any("os.system" in w.message for w in not_understood)


def test_a_yaml_file_with_python_tags_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "marker"
    source = f"evil:\n  tasks: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(engine.InvalidDocument) as raised:
        import_file("evil.yaml", source.encode())
    assert raised.value.problems[0].code == "bad_yaml"
    assert not marker.exists()


def test_a_yaml_alias_bomb_is_refused():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(engine.InvalidDocument) as raised:
        import_file("bomb.yaml", "\n".join(lines).encode())
    assert "aliases" in raised.value.problems[0].message


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("dag.exe", b"MZ", "unsupported_file"),
        ("dag", b"{}", "unsupported_file"),
        ("dag.py", b"# " + b"x" * MAX_BYTES[".py"], "file_too_large"),
        ("dag.json", b" " * (MAX_BYTES[".json"] + 1), "file_too_large"),
        ("dag.py", "name = 'caf\u00e9'".encode("latin-1"), "not_utf8"),
        ("dag.json", b"{" * 100_000, "bad_json"),
        ("dag.json", b'{"dag_id": "x", "tasks": [}', "bad_json"),
        ("dag.yaml", b"a: [1, 2\n", "bad_yaml"),
        ("dag.yaml", b"- just\n- a list\n", "not_dag_factory"),
        ("dag.py", b"x = " + b"1 + " * 200_000 + b"1\n", None),
    ],
)
def test_bad_uploads_get_a_clear_error(filename, content, code):
    with pytest.raises(engine.InvalidDocument) as raised:
        import_file(filename, content)
    problem = raised.value.problems[0]
    assert problem.message
    if code is not None:
        assert problem.code == code


def read(body: str) -> engine.imports.Imported:
    header = "from airflow.sdk import DAG\nfrom airflow.operators.empty import EmptyOperator\n"
    return import_file("dag.py", (header + textwrap.dedent(body)).encode())


def test_huge_values_are_not_computed():
    imported = read("""
        BIG = "x" * 100_000
        HUGE = "x" * 10**9
        WIDE = f"{'a':>999999999}"
        JOINED = BIG.join([BIG] * 1000)
        REPLACED = BIG.replace("x", BIG)
        FORMATTED = ("{0}" * 1000).format(BIG)
        PERCENT = ("%s" * 1000) % tuple([BIG] * 1000)
        F_STRING = f"{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}{BIG}"
        TOTAL = sum([[1] * 1000] * 1000, [])
        with DAG("big"):
            EmptyOperator(task_id="huge", pool=HUGE)
            EmptyOperator(task_id="wide", pool=WIDE)
            EmptyOperator(task_id="joined", pool=JOINED)
            EmptyOperator(task_id="replaced", pool=REPLACED)
            EmptyOperator(task_id="formatted", pool=FORMATTED)
            EmptyOperator(task_id="percent", pool=PERCENT)
            EmptyOperator(task_id="f_string", pool=F_STRING)
            EmptyOperator(task_id="total", pool=TOTAL)
            EmptyOperator(task_id="big", pool=BIG[:10])
            for i in range(10**12):
                EmptyOperator(task_id=f"t{i}")
    """)
    assert len(imported.document["tasks"]) == 9
    pools = {t["task_id"]: t.get("pool") for t in imported.document["tasks"]}
    assert pools.pop("big") == "x" * 10
    assert set(pools.values()) == {None}
    assert len(imported.warnings) == 9


@pytest.mark.parametrize(
    "body",
    [
        "with DAG('spin'):\n    for i in range(1000):\n        for j in range(1000):\n"
        "            x = i\n",
        "def again(n):\n    return again(n + 1)\n\nwith DAG('deep'):\n    again(0)\n",
        "grow = [1]\nfor i in range(100):\n    grow.extend(grow)\n",
        "grow = [1]\nfor i in range(100):\n    grow += grow\n",
    ],
    ids=["loop turns", "call depth", "list.extend", "list +="],
)
def test_files_that_would_read_forever_stop_at_a_limit(body):
    with pytest.raises(engine.InvalidDocument) as raised:
        read(body)
    assert raised.value.problems[0].code == "import_limit"
