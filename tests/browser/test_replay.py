"""A replay in real Chromium: open it through a share link, step with the keyboard, read a mark and its reason.

The server is daphne in a subprocess on a free port with its own SQLite file (migrate, load_scenario,
then `import_replay --share` of a recorded bot game), as `make run` serves it. Without Chromium the
test skips with a clear reason -- unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def _chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    message = "Chromium is not installed (apt-get install -y chromium); the replay browser test needs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " and CI=true, so this is a failure.", pytrace=False)
    pytest.skip(message + ".")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _replay_file(path: Path) -> None:
    """A recorded bot game on the default scenario, as an export file (no database needed)."""
    from game.bots import play_game
    from game.engine import MatchSetup
    from game.replays.exchange import file_document
    from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
    from game.services import scenario_digest

    scenario = load_scenario_file(DEFAULT_SCENARIO_PATH)
    events = play_game(scenario, {"us": "us_pragmatic", "vn": "vn_pragmatic"}, 1)
    setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=1)
    doc = file_document(scenario, digest=scenario_digest(scenario), title=scenario.title, setup=setup, events=events,
                        match_info={"label": "Browser test", "mode": "practice", "source_match_id": 1, "table_no": None})
    path.write_text(json.dumps(doc))


@pytest.fixture(scope="module")
def shared_replay(tmp_path_factory):
    """(base URL, share URL) of a daphne server holding one imported, shared replay."""
    _chromium()
    tmp = tmp_path_factory.mktemp("replay-browser")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SQLITE_PATH=str(tmp / "db.sqlite3"), DJANGO_DEBUG="true", PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING")
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_scenario")
    _replay_file(tmp / "replay.json")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out = _manage(env, "import_replay", str(tmp / "replay.json"), "--share", "--base-url", base)
    share_url = re.search(r"share link: (\S+)", out).group(1)
    log = open(tmp / "daphne.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "negotiation_game.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/health/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"daphne did not start:\n{(tmp / 'daphne.log').read_text()[-3000:]}")
        time.sleep(0.1)
    yield base, share_url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def page(shared_replay):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_a_shared_replay_steps_with_the_keyboard_and_shows_a_mark_and_its_reason(shared_replay, page, screenshots):
    _, share_url = shared_replay
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(share_url)
    page.wait_for_selector("body[data-replay-ready='1']")
    assert "Start" in page.inner_text("#rp-pos")
    data = json.loads(page.inner_text("#replay-data"))
    first_marked = next(i for i, e in enumerate(data["events"], start=1) if e["marks"])
    annotation = data["annotations"][data["events"][first_marked - 1]["marks"][0]]
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(first_marked):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#rp-pos").startswith(f"Event {first_marked} of {len(data['events'])}")
    now = page.locator("#rp-now")
    assert now.locator(".mark").first.inner_text() == annotation["mark"]
    assert annotation["reason"] in now.inner_text()
    event = data["events"][first_marked - 1]
    if event["note"]:  # a bot's move: its stated reason is shown with it
        assert "reason:" in now.inner_text() and event["note"][:40] in now.inner_text()
    current = page.locator(".rp-ev.is-current")
    assert current.get_attribute("data-i") == str(first_marked)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / "replay.png"), full_page=False)
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#rp-pos").startswith(f"Event {first_marked - 1} of")
    # The mistakes filter leaves only moves marked ?!, ? or ??.
    page.check("[data-rp='f-mistakes']")
    visible = page.locator(".rp-ev:visible")
    for i in range(visible.count()):
        marks = visible.nth(i).locator(".rp-mark-chip").all_inner_texts()
        assert any(m in ("?!", "?", "??") for m in marks)
    page.uncheck("[data-rp='f-mistakes']")
    page.keyboard.press("End")
    assert page.inner_text("#rp-pos").startswith(f"Event {len(data['events'])} of")
    page.locator(".rp-charts").screenshot(path=str(screenshots / "replay-charts.png"))
    assert not errors, errors
