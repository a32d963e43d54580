"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Every test in this folder is marked ``browser`` and runs on a transactional database, because
the live server answers from another thread and must see what the test writes (and the other
way round).
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import BrowserContext, Page

from debrief.accounts.models import User
from debrief.techniques import builtin as techniques

CHROMIUM = Path("/usr/bin/chromium")
_SEED_MIGRATION = importlib.import_module(
    "debrief.prompts.migrations.0002_seed_coaching_session_reflection"
)
HERE = Path(__file__).resolve().parent


def _is_browser_test(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_itemcollected(item: pytest.Item) -> None:
    if _is_browser_test(item):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, after every test that expects the seeded database.

    pytest-django puts transactional tests last, but pytest then groups the tests that share
    pytest-playwright's session-wide ``browser_name`` parameter, which can move them forward.
    A transactional test ends by emptying every table, migration data included.
    """
    items.sort(key=_is_browser_test)  # stable: the order within each group is kept


def pytest_collection_finish(session: pytest.Session) -> None:
    """Give SQLite a test database file when browser tests will run.

    Django's default SQLite test database lives in memory, and the live server then shares the
    test's one connection across all its request threads: two autosaves at once (two tabs, a
    save while the test reads the database) fail with "database table is locked". With a file,
    each thread opens its own connection as in production (WAL, waiting on a busy lock).
    """
    if not any(_is_browser_test(item) for item in session.items):
        return
    db = connections["default"].settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3" and not db["TEST"].get("NAME"):
        folder = Path(tempfile.mkdtemp(prefix="debrief-browser-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        db["TEST"]["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Let the test thread use the ORM while Playwright runs.

    Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
    calls from a thread with a running loop unless told it is safe. It is here: the loop is idle
    while the test talks to the database. Set from the first browser test (they run last) to the
    end of the session, so no other test, or process it starts, inherits it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _builtin_template(transactional_db: None) -> None:
    """Seed the built-in reflection templates and techniques, as their data migrations did.

    A transactional test ends by emptying every table, migration data included. (Django's
    serialized_rollback would restore it, but its saved copy hangs on the connection object,
    and once Playwright runs, the test code is handed a different one.)
    """
    _SEED_MIGRATION.seed(django_apps, None)
    techniques.seed(django_apps.get_model("techniques", "Technique"))


@pytest.fixture(autouse=True)
def _requests_finished(transactional_db: None) -> Iterator[None]:
    """Let the live server finish what the browser asked before the tables are emptied.

    A page left at the end of a test can still have a request on its way (autosave's save when
    a tab is hidden, a reply the test did not wait for). Emptying the tables meanwhile made
    PostgreSQL report a deadlock (the TRUNCATE against that request's transaction), and the
    next test then found the last one's rows. Torn down after the browser context is closed
    and before the tables are emptied; waits at most 10 s.
    """
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not CHROMIUM.exists():
        message = f"Browser tests need Chromium at {CHROMIUM}."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI must install it (apt-get install chromium).")
        pytest.skip(f"{message} Install it with `apt-get install chromium` to run them.")
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(live_server: Any) -> dict[str, Any]:
    return {
        "base_url": live_server.url,
        "locale": "en-GB",
        "timezone_id": settings.TIME_ZONE,
    }


def log_in(context: BrowserContext, user: User, base_url: str) -> None:
    """Sign the browser context in as user, through the session cookie (faster than the form)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def coach_page(alice: User, context: BrowserContext, live_server: Any) -> Page:
    """A tab signed in as alice."""
    log_in(context, alice, live_server.url)
    return context.new_page()


def wait_until(check: Callable[[], Any], timeout: float = 8.0, interval: float = 0.1) -> Any:
    """Poll check() until it returns something truthy; the value, or AssertionError on timeout.

    For the database side of autosave, which the browser cannot auto-wait on.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {check.__doc__ or check}")
        time.sleep(interval)
