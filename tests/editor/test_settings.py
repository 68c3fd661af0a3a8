"""Settings read from the environment, and the guards that keep a deployment safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, logger_levels

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Hq2vX9mR4tW8yB3nF6jL1pD5sG0cZ_aE-uI7oK2wQ9xV4rT8yN3mB6hJ1fS5dL",
    "ALLOWED_HOSTS": "dagsim.example.com",
}


def manage(*args, env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("raw, value", [("1", True), ("yes", True), ("off", False), ("0", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("DAGSIM_FLAG", raw)
    assert env_bool("DAGSIM_FLAG", not value) is value


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("DAGSIM_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DAGSIM_FLAG='ture' is not a boolean"):
        env_bool("DAGSIM_FLAG", False)


def test_env_int_fails_loudly_on_a_unit(monkeypatch):
    monkeypatch.setenv("DAGSIM_SIZE", "10MB")
    with pytest.raises(ImproperlyConfigured, match="DAGSIM_SIZE='10MB' is not a whole number"):
        env_int("DAGSIM_SIZE", 1)


def test_unset_variables_take_their_defaults(monkeypatch):
    monkeypatch.delenv("DAGSIM_UNSET", raising=False)
    assert env_bool("DAGSIM_UNSET", True) is True
    assert env_int("DAGSIM_UNSET", 7) == 7
    assert env_list("DAGSIM_UNSET", ["a"]) == ["a"]


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("DAGSIM_HOSTS", " a.example , b.example,,")
    assert env_list("DAGSIM_HOSTS") == ["a.example", "b.example"]


def test_log_levels_name_single_loggers_and_refuse_a_bad_level():
    assert logger_levels(["editor.stream=debug", " celery = WARNING "]) == {
        "editor.stream": {"level": "DEBUG"},
        "celery": {"level": "WARNING"},
    }
    with pytest.raises(ImproperlyConfigured, match="'editor.stream=LOUD' is not logger=LEVEL"):
        logger_levels(["editor.stream=LOUD"])
    with pytest.raises(ImproperlyConfigured, match="is not logger=LEVEL"):
        logger_levels(["DEBUG"])


def test_without_debug_a_missing_secret_key_stops_the_start():
    result = manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "dagsim.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_without_debug_missing_allowed_hosts_stop_the_start():
    result = manage("check", env={"DEBUG": "0", "SECRET_KEY": DEPLOY_ENV["SECRET_KEY"]})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_the_deployment_checks_pass_with_debug_off_and_a_proper_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=DEPLOY_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stdout + result.stderr
