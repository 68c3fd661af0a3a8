"""The real app in a real browser: daphne on a free port against a temporary SQLite database,
driven by Playwright through Debian's headless Chromium (never a downloaded browser).

Every test gets a fresh, logged-in page; screenshots of each step go to artifacts/browser/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .liveapp import ARTIFACTS, CHROMIUM, chromium, ensure_bundle, log_in, running_app


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and later test packages (tests/live) call asyncio.run(); stop it when these tests end.
@pytest.fixture(scope="package")
def live_app(tmp_path_factory):
    try:
        ensure_bundle()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    with running_app(tmp_path_factory.mktemp("live_app")) as app:
        yield app


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with chromium() as browser:
        yield browser


class Shots:
    """Numbered screenshots of one test's steps under artifacts/browser/."""

    def __init__(self, page, test_name: str):
        self.page = page
        self.prefix = test_name
        self.n = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str) -> Path:
        self.n += 1
        path = ARTIFACTS / f"{self.prefix}-{self.n:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def page(browser, live_app, request):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_app.url)
    page.shots = Shots(page, request.node.name)
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of the page as it was."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        try:
            page.shots("FAILED")
        except Exception:  # the page may be gone; the traceback says enough
            pass
