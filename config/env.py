"""Reading settings from environment variables.

A typo in a deployment's environment ("ture", "10s") must stop the start with a message naming
the variable, not silently fall back to a default the operator did not ask for.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks around items are ignored."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def logger_levels(items: list[str]) -> dict[str, dict[str, str]]:
    """LOGGING "loggers" from ``name=LEVEL`` items (the LOG_LEVELS setting)."""
    levels = {}
    for item in items:
        name, _, level = item.partition("=")
        if not name.strip() or level.strip().upper() not in _LEVELS:
            raise ImproperlyConfigured(
                f"LOG_LEVELS item {item!r} is not logger=LEVEL (LEVEL one of {', '.join(_LEVELS)})"
            )
        levels[name.strip()] = {"level": level.strip().upper()}
    return levels


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
