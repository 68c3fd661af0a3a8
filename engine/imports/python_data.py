"""Plain-data Python operations the DAG-file reader may perform itself, with size guards.

DAG files compute task ids and lists with f-strings, ``range()``, ``+``, ``.format()``,
``enumerate`` and the like. These functions do exactly those operations on already known plain
values (str, numbers, lists, tuples, dicts) and nothing else: no attribute of an arbitrary
object is ever looked up and no function from the file is called. Anything outside this set, or
a result that would be huge (``"x" * 10**9``), raises ``NotEvaluable``.
"""

from __future__ import annotations

import ast
import operator
import posixpath
import re
from collections.abc import Callable
from typing import Any

MAX_LENGTH = 100_000  # characters of a string, items of a list
MAX_FORMAT_WIDTH = 1_000


class NotEvaluable(Exception):
    """The reader does not compute this; the message says what it was."""


PLAIN = (str, int, float, bool, type(None), list, tuple, dict)


def _sized(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_LENGTH:
        raise NotEvaluable(f"a value longer than {MAX_LENGTH}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        raise NotEvaluable("a number too large to be a setting")
    return value


BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


def binary(op: ast.operator, left: Any, right: Any) -> Any:
    fn = BINARY.get(type(op))
    if fn is None or not isinstance(left, PLAIN) or not isinstance(right, PLAIN):
        raise NotEvaluable(f"the operator {type(op).__name__}")
    if isinstance(op, ast.Mult):
        count = right if isinstance(left, (str, list, tuple)) else left
        other = left if isinstance(left, (str, list, tuple)) else right
        if isinstance(other, (str, list, tuple)) and isinstance(count, int):
            if count * len(other) > MAX_LENGTH:
                raise NotEvaluable(f"a value longer than {MAX_LENGTH}")
    if isinstance(op, ast.Pow) and (not isinstance(right, (int, float)) or abs(right) > 64):
        raise NotEvaluable("a large power")
    if isinstance(op, ast.Mod) and isinstance(left, str):
        _check_format_widths(left)
        _check_expansion(left, left.count("%"), right if isinstance(right, tuple) else [right])
    try:
        return _sized(fn(left, right))
    except NotEvaluable:
        raise
    except Exception as exc:  # TypeError, ZeroDivisionError, ValueError...
        raise NotEvaluable(f"{type(exc).__name__}: {exc}") from None


def unary(op: ast.unaryop, value: Any) -> Any:
    if not isinstance(value, PLAIN):
        raise NotEvaluable("a unary operator on a non-value")
    operand: Any = value
    try:
        if isinstance(op, ast.Not):
            return not operand
        if isinstance(op, ast.USub):
            return -operand
        if isinstance(op, ast.UAdd):
            return +operand
    except TypeError as exc:
        raise NotEvaluable(str(exc)) from None
    raise NotEvaluable(type(op).__name__)


COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b if a is None or b is None else a == b,
    ast.IsNot: lambda a, b: a is not b if a is None or b is None else a != b,
}


def compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    if not isinstance(left, PLAIN) or not isinstance(right, PLAIN):
        raise NotEvaluable("a comparison with a non-value")
    try:
        return bool(COMPARE[type(op)](left, right))
    except Exception as exc:
        raise NotEvaluable(str(exc)) from None


def _check_format_widths(spec: str) -> None:
    # Widths given as arguments ("{:{}}", "%*d") could be anything: not computed.
    if re.search(r"\{[^{}]*\{", spec) or re.search(r"%[^a-zA-Z%]*\*", spec):
        raise NotEvaluable("a format with a computed width")
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 4 or int(digits) > MAX_FORMAT_WIDTH:
            raise NotEvaluable("a very wide format")


def format_value(value: Any, conversion: int, spec: str) -> str:
    """An f-string replacement field ``{value!conversion:spec}`` for a plain value."""
    if not isinstance(value, (str, int, float, bool, type(None))):
        raise NotEvaluable("a non-value in an f-string")
    if conversion == ord("r"):
        value = repr(value)
    elif conversion in (ord("s"), ord("a")):
        value = str(value) if conversion == ord("s") else ascii(value)
    _check_format_widths(spec)
    try:
        return _sized(format(value, spec))
    except (ValueError, TypeError) as exc:
        raise NotEvaluable(str(exc)) from None


def subscript(container: Any, index: Any) -> Any:
    if not isinstance(container, (str, list, tuple, dict)):
        raise NotEvaluable("indexing a non-value")
    try:
        return container[index]
    except (KeyError, IndexError, TypeError) as exc:
        raise NotEvaluable(f"{type(exc).__name__}: {exc}") from None


def _range(*args: Any) -> list[int]:
    integers = all(isinstance(a, int) and not isinstance(a, bool) for a in args)
    if not integers or not 1 <= len(args) <= 3:
        raise NotEvaluable("range() of non-integers")
    r = range(*args)
    if len(r) > MAX_LENGTH:
        raise NotEvaluable(f"a range longer than {MAX_LENGTH}")
    return list(r)


def _iterable(value: Any) -> list:
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, (str, list, tuple)):
        return list(value)
    raise NotEvaluable("iterating over a non-value")


BUILTINS: dict[str, Callable[..., Any]] = {
    "range": _range,
    "len": lambda v: len(_checked(v, (str, list, tuple, dict))),
    "str": lambda v="": str(_checked(v, (str, int, float, bool, type(None)))),
    "int": lambda v=0: int(_checked(v, (str, int, float, bool))),
    "float": lambda v=0.0: float(_checked(v, (str, int, float, bool))),
    "bool": lambda v=False: bool(_checked(v, PLAIN)),
    "list": lambda v=(): _iterable(v),
    "tuple": lambda v=(): tuple(_iterable(v)),
    "dict": lambda v=None, **kw: {**(_checked(v, (dict,)) if v is not None else {}), **kw},
    "enumerate": lambda v, start=0: [(i + start, x) for i, x in enumerate(_iterable(v))],
    "zip": lambda *vs: [tuple(t) for t in zip(*(_iterable(v) for v in vs), strict=False)],
    "sorted": lambda v, reverse=False: sorted(_iterable(v), reverse=reverse),
    "reversed": lambda v: list(reversed(_iterable(v))),
    "min": lambda *v: min(v[0] if len(v) == 1 else v),
    "max": lambda *v: max(v[0] if len(v) == 1 else v),
    "sum": lambda v, start=0: sum(_numbers(_iterable(v)), start),
    "abs": abs,
}


def _numbers(values: list) -> list:
    if not all(isinstance(v, (int, float)) for v in values):
        raise NotEvaluable("sum() of non-numbers")
    return values


def _check_expansion(template: str, places: int, values: Any) -> None:
    """Refuse text that would grow past MAX_LENGTH: ``places`` copies of the longest value."""
    longest = max(
        (len(v) if isinstance(v, (str, list, tuple, dict)) else 32 for v in values), default=0
    )
    if len(template) + places * longest > MAX_LENGTH:
        raise NotEvaluable(f"text longer than {MAX_LENGTH}")


def _checked(value: Any, types: tuple) -> Any:
    if not isinstance(value, types):
        raise NotEvaluable(f"a {type(value).__name__} where plain data was expected")
    return value


def call_builtin(name: str, args: list, kwargs: dict) -> Any:
    fn = BUILTINS.get(name)
    if fn is None:
        raise NotEvaluable(f"the builtin {name}()")
    try:
        return _sized(fn(*args, **kwargs))
    except NotEvaluable:
        raise
    except Exception as exc:
        raise NotEvaluable(f"{name}(): {type(exc).__name__}: {exc}") from None


STR_METHODS = {
    "format",
    "join",
    "upper",
    "lower",
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "title",
    "capitalize",
    "startswith",
    "endswith",
    "split",
    "rsplit",
    "zfill",
    "removeprefix",
    "removesuffix",
    "ljust",
    "rjust",
    "center",
}
DICT_METHODS = {"items", "keys", "values", "get"}


def call_method(target: Any, name: str, args: list, kwargs: dict) -> Any:
    """``target.name(*args, **kwargs)`` for the listed str and dict methods."""
    if not all(isinstance(a, PLAIN) for a in [*args, *kwargs.values()]):
        raise NotEvaluable(f".{name}() with a non-value argument")
    if isinstance(target, str) and name in STR_METHODS:
        if name == "format":
            _check_format_widths(target)
            _check_expansion(target, target.count("{"), [*args, *kwargs.values()])
        if name in ("zfill", "ljust", "rjust", "center") and args and isinstance(args[0], int):
            if args[0] > MAX_FORMAT_WIDTH:
                raise NotEvaluable("a very wide string")
        if name == "join":
            args = [_iterable(args[0])] if args else args
            _check_expansion(target, len(args[0]) if args else 0, args[0] if args else [])
        if name == "replace" and len(args) >= 2 and isinstance(args[0], str):
            _check_expansion(target, target.count(args[0]) + 1, [args[1]])
    elif isinstance(target, dict) and name in DICT_METHODS:
        if name in ("items", "keys", "values"):
            return list(getattr(target, name)())
    else:
        raise NotEvaluable(f"the method .{name}()")
    try:
        return _sized(getattr(target, name)(*args, **kwargs))
    except Exception as exc:
        raise NotEvaluable(f".{name}(): {type(exc).__name__}: {exc}") from None


def path_function(name: str, args: list) -> Any:
    """``os.path.basename`` and friends, on strings only (no file system is touched)."""
    if len(args) != 1 or not isinstance(args[0], str):
        raise NotEvaluable(f"os.path.{name}() of a non-string")
    if name == "basename":
        return posixpath.basename(args[0])
    if name == "dirname":
        return posixpath.dirname(args[0])
    if name == "splitext":
        return posixpath.splitext(args[0])
    raise NotEvaluable(f"os.path.{name}()")
