"""Read an Airflow DAG file with ``ast``: never imported, never executed.

The reader walks the module's statements the way Python would run them, but it only *knows*
things: literal values, names bound to them, the tasks and task groups the Airflow calls would
create and the dependencies ``>>``, ``<<``, ``chain()``, ``cross_downstream()``,
``set_upstream()`` and TaskFlow calls would set. A call to anything it does not know (``open``,
``os.system``, ``socket.socket``, a helper from another module) is never made; its result is an
``Unknown``, reported with its line number if the DAG needed it. ``for`` loops over literal
lists, tuples, ``range()`` and dicts run with f-string task ids; ``if`` runs when its test is
plain data; functions defined in the file (``@dag``, ``@task_group``, plain helpers) are read
when called. Work is bounded: steps, loop turns and call depth all have limits.

Airflow 2's import paths and old names (``DummyOperator``, ``schedule_interval``,
``none_failed_or_skipped``) are understood; unknown operators become ``python`` tasks with a
warning.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from ..exports.airflow_names import CLASS_OPERATORS, DECORATOR_OPERATORS
from ..problems import WARNING, InvalidDocument, Problem
from .airflow_calls import AirflowCalls
from .dag_builder import DagBuilder, DuplicateTask, Group, ImportLimit
from .python_data import (
    BUILTINS,
    MAX_LENGTH,
    NotEvaluable,
    binary,
    call_builtin,
    compare,
    format_value,
    subscript,
    unary,
)
from .python_values import (
    BoundMethod,
    Builtin,
    CustomClass,
    DagFactory,
    DagValue,
    Decorator,
    Function,
    GroupFactory,
    GroupNode,
    Imported,
    TaskFactory,
    TaskNode,
    Unknown,
    XComRef,
)

STR_ENUMS = {"TriggerRule", "WeightRule"}
ROLES = ("setup", "teardown")
MAX_STEPS = 2_000_000
MAX_LOOP_TURNS = 100_000
MAX_CALL_DEPTH = 40

# Names a DAG file may use without importing them (star imports, sloppy files): read by name.
BARE_NAMES = {
    "DAG",
    "dag",
    "task",
    "task_group",
    "TaskGroup",
    "Label",
    "chain",
    "chain_linear",
    "cross_downstream",
    "timedelta",
    "datetime",
    "TriggerRule",
    *CLASS_OPERATORS,
}


class _Return(Exception):
    def __init__(self, value: Any):
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Scope:
    def __init__(self, parent: Scope | None = None):
        self.names: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        raise KeyError(name)


class DagFileReader(AirflowCalls):
    """Reads one DAG file. ``read()`` returns the DAG builders in the order they were made."""

    def __init__(self, source: str, filename: str):
        self.source = source
        self.filename = filename
        self.dags: list[DagBuilder] = []
        self.warnings: list[Problem] = []
        self.dag_stack: list[DagBuilder] = []
        self.group_stack: list[Group | None] = [None]
        self.steps = 0
        self.loop_turns = 0
        self.depth = 0
        self.dag_factories: list[DagFactory] = []

    def snippet(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or type(node).__name__
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:77] + "..."

    def warn(self, node: ast.AST | int | None, message: str, code: str = "not_understood") -> None:
        line = node if isinstance(node, int) or node is None else getattr(node, "lineno", None)
        target = self.dag_stack[-1].warnings if self.dag_stack else self.warnings
        text = f"line {line}: {message}" if line else message
        target.append(Problem(code, text, severity=WARNING, data={"line": line} if line else {}))

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise ImportLimit(f"reading the file took more than {MAX_STEPS} steps")

    def read(self, tree: ast.Module) -> list[DagBuilder]:
        builtins = Scope()
        builtins.names.update({name: Builtin(name) for name in BUILTINS})
        builtins.names.update(
            {"print": Builtin("print"), "__name__": "dag_file", "__file__": self.filename}
        )
        module = Scope(builtins)
        self.run_block(tree.body, module)
        for factory in self.dag_factories:
            if not factory.called:
                name = factory.function.node.name
                self.warn(
                    factory.function.node,
                    f"the @dag function `{name}` is never called, "
                    "so Airflow would not load it; read anyway",
                )
                self.call_dag_factory(factory, [], {}, factory.function.node)
        return self.dags

    def run_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for statement in body:
            self.run(statement, scope)

    def run(self, node: ast.stmt, scope: Scope) -> None:
        self.tick()
        handler = getattr(self, f"run_{type(node).__name__}", None)
        if handler is None:
            self.warn(node, f"`{self.snippet(node)}` is not understood; ignored")
            return
        handler(node, scope)

    def run_Expr(self, node: ast.Expr, scope: Scope) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a docstring or a bare literal
        value = self.eval(node.value, scope)
        if isinstance(value, Unknown) and isinstance(node.value, ast.Call):
            self.warn(
                node, f"`{self.snippet(node.value)}` is not understood ({value.why}); ignored"
            )

    def run_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target, value, scope, node)

    def run_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope, node)

    def run_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        if not isinstance(node.target, ast.Name):
            return
        current = self.eval(node.target, scope)
        value = self.eval(node.value, scope)
        if isinstance(node.op, (ast.RShift, ast.LShift)):
            result = self.dependency(node.op, current, value, node)
        elif (
            isinstance(current, list)
            and isinstance(node.op, ast.Add)
            and isinstance(value, (list, tuple))
        ):
            if len(current) + len(value) > MAX_LENGTH:
                raise ImportLimit(f"a list grows past {MAX_LENGTH} items")
            current.extend(value)  # `tasks += [...]` changes the list in place, as Python does
            result = current
        else:
            result = self.plain(lambda: binary(node.op, current, value), node)
        scope.names[node.target.id] = result

    def assign(self, target: ast.expr, value: Any, scope: Scope, node: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = list(value) if isinstance(value, (list, tuple)) else None
            if (
                items is None
                or len(items) != len(target.elts)
                or any(isinstance(e, ast.Starred) for e in target.elts)
            ):
                for element in target.elts:
                    name = element.value if isinstance(element, ast.Starred) else element
                    self.assign(
                        name, Unknown("an unpacking not understood", node.lineno), scope, node
                    )
                return
            for element, item in zip(target.elts, items, strict=True):
                self.assign(element, item, scope, node)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, scope)
            key = self.eval(target.slice, scope)
            if isinstance(container, dict) and isinstance(key, (str, int, float, bool, tuple)):
                container[key] = value
            elif (
                isinstance(container, list)
                and isinstance(key, int)
                and -len(container) <= key < len(container)
            ):
                container[key] = value
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value, scope)
            if isinstance(owner, TaskNode):  # `task.trigger_rule = TriggerRule.NONE_FAILED`
                self.set_task_argument(owner, target.attr, value, node)
        # Other attribute targets (`dag.doc_md = ...`) set nothing the simulator uses.

    def run_If(self, node: ast.If, scope: Scope) -> None:
        test = truth(self.eval(node.test, scope))
        if test is None:
            self.warn(
                node,
                f"cannot tell whether `if {self.snippet(node.test)}` holds; "
                "neither branch was read",
            )
            return
        self.run_block(node.body if test else node.orelse, scope)

    def run_For(self, node: ast.For, scope: Scope) -> None:
        iterable = self.eval(node.iter, scope)
        items = self.iteration(iterable)
        if items is None:
            why = f" ({iterable.why})" if isinstance(iterable, Unknown) else ""
            self.warn(
                node,
                f"cannot tell what `for ... in {self.snippet(node.iter)}` loops over"
                f"{why}; the loop was not read",
            )
            return
        for item in items:
            self.loop_turns += 1
            if self.loop_turns > MAX_LOOP_TURNS:
                raise ImportLimit(f"the file's loops turn more than {MAX_LOOP_TURNS} times")
            self.assign(node.target, item, scope, node)
            try:
                self.run_block(node.body, scope)
            except _Break:
                break
            except _Continue:
                continue
        else:
            self.run_block(node.orelse, scope)

    def iteration(self, value: Any) -> list | None:
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, (list, tuple, str)):
            return list(value)
        return None

    def run_Break(self, node: ast.Break, scope: Scope) -> None:
        raise _Break

    def run_Continue(self, node: ast.Continue, scope: Scope) -> None:
        raise _Continue

    def run_Return(self, node: ast.Return, scope: Scope) -> None:
        raise _Return(self.eval(node.value, scope) if node.value is not None else None)

    def run_Pass(self, node: ast.Pass, scope: Scope) -> None:
        pass

    run_Global = run_Nonlocal = run_Delete = run_Assert = run_Pass  # nothing the DAG uses

    def run_Raise(self, node: ast.Raise, scope: Scope) -> None:
        self.warn(node, "a `raise` statement would stop Airflow loading the file; ignored")

    def run_Try(self, node: ast.Try, scope: Scope) -> None:
        # The reader raises nothing a handler could catch; `try: import x except: import y`
        # (version-compatible imports) reads the first, which is what matters.
        self.run_block(node.body, scope)
        self.run_block(node.orelse, scope)
        self.run_block(node.finalbody, scope)

    def run_Import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                scope.names[alias.asname] = Imported(alias.name)
            else:
                top = alias.name.split(".")[0]
                scope.names[top] = Imported(top)

    def run_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue  # the names it brings are read by their bare names (BARE_NAMES)
            scope.names[alias.asname or alias.name] = Imported(f"{module}.{alias.name}")

    def run_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        bases = [self.eval(b, scope) for b in node.bases]
        operator_like = any(
            (isinstance(b, Imported) and (b.name.endswith(("Operator", "Sensor"))))
            or (isinstance(b, CustomClass) and b.operator_like)
            for b in bases
        )
        scope.names[node.name] = CustomClass(node.name, operator_like)

    def run_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        function = Function(node, scope)
        value: Any = function
        for decorator_node in reversed(node.decorator_list):
            decorator = self.decorator(self.eval(decorator_node, scope))
            if decorator is None:
                continue
            if decorator.kind == "task":
                if decorator.flavour in ROLES and isinstance(value, TaskFactory):
                    value.flavour = decorator.flavour  # @setup or @teardown over @task
                    continue
                if decorator.flavour and decorator.flavour not in (*DECORATOR_OPERATORS, *ROLES):
                    self.warn(
                        decorator_node,
                        f"`@task.{decorator.flavour}` is not simulated as "
                        "such; its tasks are imported as python tasks",
                        "unknown_operator",
                    )
                value = TaskFactory(
                    function, decorator.operator, decorator.kwargs, decorator.flavour
                )
            elif decorator.kind == "task_group":
                value = GroupFactory(function, decorator.kwargs)
            elif decorator.kind == "dag":
                value = DagFactory(function, decorator.kwargs)
                self.dag_factories.append(value)
        scope.names[node.name] = value

    run_AsyncFunctionDef = run_FunctionDef

    def run_With(self, node: ast.With, scope: Scope) -> None:
        pushed_dags = pushed_groups = 0
        for item in node.items:
            value = self.eval(item.context_expr, scope)
            if isinstance(value, DagValue):
                self.dag_stack.append(value.builder)
                self.group_stack.append(None)
                pushed_dags += 1
            elif isinstance(value, GroupNode):
                self.group_stack.append(value.group)
                pushed_groups += 1
            else:
                self.warn(
                    item.context_expr,
                    f"`with {self.snippet(item.context_expr)}` is not a "
                    "DAG or TaskGroup; its body was read as plain code",
                )
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value, scope, node)
        try:
            self.run_block(node.body, scope)
        finally:
            for _ in range(pushed_groups):
                self.group_stack.pop()
            for _ in range(pushed_dags):
                self.dag_stack.pop()
                self.group_stack.pop()

    def plain(self, operation: Any, node: ast.AST) -> Any:
        try:
            return operation()
        except NotEvaluable as exc:
            return Unknown(str(exc), node.lineno if hasattr(node, "lineno") else 0)

    def eval(self, node: ast.expr, scope: Scope) -> Any:
        self.tick()
        handler = getattr(self, f"eval_{type(node).__name__}", None)
        if handler is None:
            return Unknown(f"`{self.snippet(node)}` is not understood", node.lineno)
        try:
            return handler(node, scope)
        except RecursionError:
            raise ImportLimit("an expression is nested too deeply to read") from None

    def eval_Constant(self, node: ast.Constant, scope: Scope) -> Any:
        if isinstance(node.value, (bytes, complex)) or node.value is Ellipsis:
            return Unknown("a constant of an unexpected type", node.lineno)
        return node.value

    def eval_Name(self, node: ast.Name, scope: Scope) -> Any:
        try:
            return scope.lookup(node.id)
        except KeyError:
            if node.id in BARE_NAMES:
                return Imported(node.id)
            return Unknown(f"`{node.id}` is not defined in the file", node.lineno)

    def eval_JoinedStr(self, node: ast.JoinedStr, scope: Scope) -> Any:
        parts = []
        length = 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            assert isinstance(value, ast.FormattedValue)
            inner = self.eval(value.value, scope)
            spec = self.eval(value.format_spec, scope) if value.format_spec else ""
            if isinstance(inner, Unknown):
                return inner
            if not isinstance(spec, str):
                return Unknown("an f-string format not understood", node.lineno)
            text = self.plain(
                lambda i=inner, s=spec, c=value.conversion: format_value(i, c, s), node
            )
            if isinstance(text, Unknown):
                return text
            parts.append(text)
            length += len(text)
            if length > MAX_LENGTH:
                return Unknown(f"an f-string longer than {MAX_LENGTH}", node.lineno)
        return "".join(parts)

    def eval_List(self, node: ast.List | ast.Tuple | ast.Set, scope: Scope) -> Any:
        items: list = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                inner = self.eval(element.value, scope)
                spread = self.iteration(inner)
                if spread is None:
                    return Unknown(f"cannot unpack `{self.snippet(element.value)}`", node.lineno)
                items.extend(spread)
            else:
                items.append(self.eval(element, scope))
        return tuple(items) if isinstance(node, ast.Tuple) else items

    eval_Tuple = eval_Set = eval_List

    def eval_Dict(self, node: ast.Dict, scope: Scope) -> Any:
        out: dict = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.eval(value_node, scope)
            if key_node is None:  # {**other}
                if isinstance(value, dict):
                    out.update(value)
                else:
                    return Unknown(f"cannot unpack `{self.snippet(value_node)}`", node.lineno)
                continue
            key = self.eval(key_node, scope)
            if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                return Unknown("a dict key that is not plain data", node.lineno)
            out[key] = value
        return out

    def eval_BinOp(self, node: ast.BinOp, scope: Scope) -> Any:
        # `a >> b >> c >> ...` nests to the left; walk it without recursion, so that a long
        # dependency chain (an exported 1,000-task DAG) reads as easily as a short one.
        chain: list[ast.BinOp] = []
        current: ast.expr = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, (ast.RShift, ast.LShift)):
            chain.append(current)
            current = current.left
        if not chain:
            left = self.eval(node.left, scope)
            right = self.eval(node.right, scope)
            return self.plain(lambda: binary(node.op, left, right), node)
        value = self.eval(current, scope)
        for link in reversed(chain):
            value = self.dependency(link.op, value, self.eval(link.right, scope), link)
        return value

    def eval_UnaryOp(self, node: ast.UnaryOp, scope: Scope) -> Any:
        value = self.eval(node.operand, scope)
        return self.plain(lambda: unary(node.op, value), node)

    def eval_BoolOp(self, node: ast.BoolOp, scope: Scope) -> Any:
        result: Any = None
        for value_node in node.values:
            result = self.eval(value_node, scope)
            truthy = truth(result)
            if truthy is None:
                return result
            if isinstance(node.op, ast.And) and not truthy:
                return result
            if isinstance(node.op, ast.Or) and truthy:
                return result
        return result

    def eval_Compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.eval(right_node, scope)
            if (
                isinstance(op, (ast.Is, ast.IsNot))
                and not isinstance(left, Unknown)
                and not (isinstance(right, Unknown))
            ):
                # Identity needs no value: a task `is not None` whatever it is.
                outcome: Any = (left is right) == isinstance(op, ast.Is)
            else:
                outcome = self.plain(lambda a=left, b=right, o=op: compare(o, a, b), node)
            if not outcome or isinstance(outcome, Unknown):
                return outcome
            left = right
        return True

    def eval_IfExp(self, node: ast.IfExp, scope: Scope) -> Any:
        test = self.eval(node.test, scope)
        if truth(test) is None:
            return test
        return self.eval(node.body if truth(test) else node.orelse, scope)

    def eval_Subscript(self, node: ast.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        index = self.eval(node.slice, scope)
        if isinstance(container, (TaskNode, XComRef)) and isinstance(index, str):
            return XComRef(container.task_id, index, container.dag)
        if isinstance(container, Unknown):
            return container
        return self.plain(lambda: subscript(container, index), node)

    def eval_Slice(self, node: ast.Slice, scope: Scope) -> Any:
        parts = [
            self.eval(p, scope) if p is not None else None
            for p in (node.lower, node.upper, node.step)
        ]
        if not all(p is None or isinstance(p, int) for p in parts):
            return Unknown("a slice of non-integers", node.lineno)
        return slice(*parts)

    def eval_Attribute(self, node: ast.Attribute, scope: Scope) -> Any:
        target = self.eval(node.value, scope)
        if isinstance(target, Imported):
            if target.name in STR_ENUMS and node.attr.isupper():
                return node.attr.lower()  # TriggerRule.ALL_DONE is the string "all_done"
            return Imported(f"{target.qualname}.{node.attr}")
        if isinstance(target, PurePosixPath) and node.attr in ("name", "stem", "suffix"):
            return getattr(target, node.attr)
        if isinstance(target, TaskNode) and node.attr == "output":
            return XComRef(target.task_id, "return_value", target.dag)
        if isinstance(target, Unknown):
            return target
        if isinstance(target, DagValue) and node.attr == "dag_id":
            return target.builder.dag_id
        return BoundMethod(target, node.attr)

    def eval_ListComp(
        self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp, scope: Scope
    ) -> Any:
        results: list = []
        inner = Scope(scope)
        for _ in self.comprehension(node.generators, 0, inner, node):
            results.append(self.eval(node.elt, inner))
        return results

    eval_GeneratorExp = eval_SetComp = eval_ListComp

    def eval_DictComp(self, node: ast.DictComp, scope: Scope) -> Any:
        out: dict = {}
        inner = Scope(scope)
        for _ in self.comprehension(node.generators, 0, inner, node):
            key = self.eval(node.key, inner)
            if not isinstance(key, (str, int, float, bool, tuple)):
                return Unknown("a dict comprehension key that is not plain data", node.lineno)
            out[key] = self.eval(node.value, inner)
        return out

    def comprehension(
        self, generators: list[ast.comprehension], i: int, scope: Scope, node: ast.expr
    ) -> Iterator[None]:
        if i == len(generators):
            yield None
            return
        generator = generators[i]
        items = self.iteration(self.eval(generator.iter, scope))
        if items is None:
            self.warn(
                node,
                f"cannot tell what `{self.snippet(generator.iter)}` holds; "
                "the comprehension was not read",
            )
            return
        for item in items:
            self.loop_turns += 1
            if self.loop_turns > MAX_LOOP_TURNS:
                raise ImportLimit(f"the file's loops turn more than {MAX_LOOP_TURNS} times")
            self.assign(generator.target, item, scope, node)  # type: ignore[arg-type]
            tests = [truth(self.eval(t, scope)) for t in generator.ifs]
            if all(tests):
                yield from self.comprehension(generators, i + 1, scope, node)

    def eval_Call(self, node: ast.Call, scope: Scope) -> Any:
        callee = self.eval(node.func, scope)
        args: list = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                spread = self.iteration(self.eval(arg.value, scope))
                if spread is None:
                    return Unknown(f"cannot unpack `{self.snippet(arg.value)}`", node.lineno)
                args.extend(spread)
            else:
                args.append(self.eval(arg, scope))
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.eval(keyword.value, scope)
            if keyword.arg is None:
                if not isinstance(value, dict):
                    return Unknown(f"cannot unpack `**{self.snippet(keyword.value)}`", node.lineno)
                kwargs.update({str(k): v for k, v in value.items()})
            else:
                kwargs[keyword.arg] = value
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list, kwargs: dict, node: ast.Call) -> Any:
        if isinstance(callee, Unknown):
            return callee
        if isinstance(callee, Builtin):
            if callee.name == "print":
                return None
            return self.plain(lambda: call_builtin(callee.name, args, kwargs), node)
        if isinstance(callee, Imported):
            return self.call_imported(callee, args, kwargs, node)
        if isinstance(callee, BoundMethod):
            return self.call_method(callee, args, kwargs, node)
        if isinstance(callee, TaskFactory):
            return self.call_task_factory(callee, args, kwargs, node)
        if isinstance(callee, GroupFactory):
            return self.call_group_factory(callee, args, kwargs, node)
        if isinstance(callee, DagFactory):
            return self.call_dag_factory(callee, args, kwargs, node)
        if isinstance(callee, Function):
            return self.call_function(callee, args, kwargs, node)
        if isinstance(callee, Decorator) and args and isinstance(args[0], Function):
            wrapped = self.decorator(callee)
            if wrapped is not None and wrapped.kind == "task":
                return TaskFactory(args[0], wrapped.operator, wrapped.kwargs)
        if isinstance(callee, CustomClass):
            if callee.operator_like or "task_id" in kwargs:
                return self.make_task(None, callee.name, kwargs, node)
            return Unknown(f"an instance of {callee.name}", node.lineno)
        return Unknown(f"`{self.snippet(node.func)}` cannot be called here", node.lineno)

    def call_function(self, function: Function, args: list, kwargs: dict, node: ast.AST) -> Any:
        self.depth += 1
        if self.depth > MAX_CALL_DEPTH:
            raise ImportLimit(f"functions call each other more than {MAX_CALL_DEPTH} deep")
        try:
            scope = Scope(function.scope)
            self.bind_parameters(function, args, kwargs, scope)
            try:
                self.run_block(function.node.body, scope)
            except _Return as returned:
                return returned.value
            except (_Break, _Continue):
                return None
            return None
        finally:
            self.depth -= 1

    def bind_parameters(self, function: Function, args: list, kwargs: dict, scope: Scope) -> None:
        spec = function.node.args
        positional = [*spec.posonlyargs, *spec.args]
        defaults = [None] * (len(positional) - len(spec.defaults)) + list(spec.defaults)
        line = function.node.lineno
        for i, (param, default) in enumerate(zip(positional, defaults, strict=True)):
            if i < len(args):
                scope.names[param.arg] = args[i]
            elif param.arg in kwargs:
                scope.names[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                scope.names[param.arg] = self.eval(default, function.scope)
            else:
                scope.names[param.arg] = Unknown(f"parameter `{param.arg}` has no value", line)
        for param, default in zip(spec.kwonlyargs, spec.kw_defaults, strict=True):
            if param.arg in kwargs:
                scope.names[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                scope.names[param.arg] = self.eval(default, function.scope)
            else:
                scope.names[param.arg] = Unknown(f"parameter `{param.arg}` has no value", line)
        if spec.vararg:
            scope.names[spec.vararg.arg] = tuple(args[len(positional) :])
        if spec.kwarg:
            scope.names[spec.kwarg.arg] = dict(kwargs)


def truth(value: Any) -> bool | None:
    """Python's truth of a value the reader knows; None when it does not know."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, (str, int, float, bool, type(None), list, tuple, dict)):
        return bool(value)
    return True  # a task, a DAG, a group...


def import_python(source: str, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    """The DAG an Airflow DAG file declares, as an interchange document, and the warnings.

    Raises ``InvalidDocument`` when the file is not Python, declares no DAG, uses a task id
    twice, or asks for more work than an import may do.
    """
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise _failure(
            "syntax_error", f"line {exc.lineno}: {exc.msg}", exc.lineno, column=exc.offset
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _failure("syntax_error", f"the file cannot be parsed as Python: {exc}") from None
    reader = DagFileReader(source, filename)
    try:
        dags = reader.read(tree)
    except DuplicateTask as exc:
        raise _failure(
            "duplicate_task_id", f"line {exc.line}: {exc}", exc.line, task_id=exc.task_id
        ) from None
    except ImportLimit as exc:
        raise _failure("import_limit", f"the file is too costly to read: {exc}") from None
    if not dags:
        raise _failure(
            "no_dag",
            f"no DAG found in `{filename}`: dagsim looks for `with DAG(...)`,"
            " `DAG(...)` and `@dag` functions",
        )
    chosen = next((d for d in dags if d.tasks), dags[0])
    warnings = list(reader.warnings)
    if len(dags) > 1:
        others = ", ".join(f"`{d.dag_id}`" for d in dags if d is not chosen)
        warnings.append(
            Problem(
                "several_dags",
                f"the file declares {len(dags)} DAGs; imported "
                f"`{chosen.dag_id}` and left out {others}",
                severity=WARNING,
            )
        )
    document = chosen.document()
    warnings += chosen.warnings
    if not chosen.tasks:
        warnings.append(
            Problem(
                "no_tasks",
                f"DAG `{chosen.dag_id}` has no tasks dagsim could read",
                severity=WARNING,
            )
        )
    return document, warnings


def _failure(
    code: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
    task_id: str | None = None,
) -> InvalidDocument:
    data = {k: v for k, v in (("line", line), ("column", column)) if v is not None}
    return InvalidDocument([Problem(code, message, task_id=task_id, data=data)])
