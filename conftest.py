import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.db import connections


def pytest_configure(config):
    from django.conf import settings

    # Production hashes with full-cost Argon2 (haven/settings.py); tests use the same
    # algorithm at minimal cost so persona set-up stays quick.
    settings.PASSWORD_HASHERS = ["haven.testing.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def personas(db):
    """Personas for pytest-style tests (see haven.testing.personas)."""
    from types import SimpleNamespace

    from haven.testing.personas import build_personas

    ns = SimpleNamespace()
    build_personas(ns)
    return ns


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(tmp_path, settings):
    """Each test gets its own audit checkpoint file: the file outside the database must describe the database the
    test sees, not another test's (or the developer's var/)."""
    settings.HAVEN_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """LocaleMiddleware activates each request's language in the thread and nothing deactivates it afterwards:
    without this, a test that asks for a Korean page leaves the next test in the process reading Korean messages."""
    yield
    from django.utils import translation

    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: their transactional database is flushed afterwards, which removes the
    rows data migrations seeded (deadline rules, published statistics) that other tests read."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# --- browser tests: one Chromium fixture for every module marked `browser` ---------------------------------

CHROMIUM = os.environ.get("HAVEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def page(monkeypatch):
    """A Chromium page with a throw-away profile (--user-data-dir), in English."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium.sh (make browser)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # the test itself are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="haven-chromium-")
    try:
        with sync_playwright() as playwright:
            # launch_persistent_context passes the profile as --user-data-dir.
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, locale="en-US",
                timezone_id="America/Toronto")
            context.set_default_timeout(TIMEOUT_MS)
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
                # While Playwright's event loop runs in this thread, asgiref gives Django a connection per
                # context rather than per thread: the ORM calls made since the page opened used a connection of
                # their own, which nothing else closes and which would keep the test database from being dropped.
                connections.close_all()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
