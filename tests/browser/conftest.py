"""Browser tests: real Chromium (Debian's, never `playwright install`) against a real daphne server.

The server runs in a subprocess on a free port with its own SQLite file, migrated and loaded with
the default scenario, exactly as `make run` serves it. Without Chromium the tests skip with a clear
message -- unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
LAPTOP = {"width": 1440, "height": 900}


def _chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    message = "Chromium is not installed (apt-get install -y chromium, or `make chromium`); the browser tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " and CI=true, so this is a failure.", pytrace=False)
    pytest.skip(message + ".")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SET_UP_DATABASE = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); call_command('load_scenario')"
)


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the test server: a fresh SQLite database, migrated, with the default scenario."""
    _chromium()  # no point preparing a server for tests that will skip
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SQLITE_PATH=str(tmp / "db.sqlite3"), PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING")
    env.pop("DJANGO_DEBUG", None)  # DEBUG off, as `make run` serves: static files come through whitenoise
    env["DJANGO_SETTINGS_MODULE"] = "negotiation_game.settings"
    # `manage.py migrate` then `manage.py load_scenario`, in one process (one Django start-up, not two).
    subprocess.run([sys.executable, "-c", SET_UP_DATABASE], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return env


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait until the server at `base` answers /health/; if it exits or never answers, fail with its log."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def server(server_env) -> str:
    """A daphne server on a free port over that database: its base URL."""
    port = _free_port()
    env = {**server_env, "DJANGO_PUBLIC_PORTS": str(port)}  # the pages' websockets come from this origin
    tmp = Path(env["SQLITE_PATH"]).parent
    log = open(tmp / "daphne.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "negotiation_game.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, proc, tmp / "daphne.log")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="package")
def browser():
    # One Chromium for the whole browser package (launching one costs about a second). A sync Playwright
    # instance holds this thread's event loop while it lives: package scope closes it before the tests
    # of any other directory (some of them asyncio) run.
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def page_factory(browser, base_url: str | None = None):
    """Makes pages, each in its own browser context (its own cookies: one person each); at the end
    closes them and fails on any JavaScript error they met."""
    contexts = []
    errors: list[str] = []

    def make(viewport: dict[str, int] | None = None, base_url: str | None = base_url):
        context = browser.new_context(viewport=viewport or LAPTOP, base_url=base_url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        page.on("response", lambda response: refused.extend(refused_post(response)))
        return page

    refused: list[str] = []
    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"
    assert not refused, f"form posts refused (a CSRF failure page, or 403): {refused}"


def refused_post(response) -> list[str]:
    """A page's form post answered 403 -- Django's CSRF failure page, or any other refusal of a form the
    page itself offered: the person clicked a real button and got an error page."""
    request = response.request
    if request.method == "POST" and request.resource_type == "document" and response.status == 403:
        return [f"POST {request.url} -> 403 (Origin {request.header_value('origin')!r})"]
    return []


@pytest.fixture
def new_page(browser, server):
    """A factory of pages on the test server."""
    with page_factory(browser, server) as make:
        yield make


def screenshot_dir(tmp_root: Path) -> Path:
    """docs/screenshots/ when UPDATE_SCREENSHOTS=1 (to refresh the README's pictures), else a temporary
    folder, so that a test run leaves the working tree as it found it."""
    target = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_root
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    return screenshot_dir(tmp_path_factory.mktemp("screenshots"))
