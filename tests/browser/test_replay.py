"""A replay in real Chromium: open it through a share link, step with the keyboard, read a mark and its reason.

The server is the browser tests' daphne (conftest.py: its own SQLite file, migrated, default scenario loaded),
into which a recorded bot game is imported with `import_replay --share`. Without Chromium the
test skips with a clear reason -- unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import LAPTOP

ROOT = Path(__file__).resolve().parents[2]


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
    doc = file_document(scenario, digest=scenario_digest(scenario), title=str(scenario.title), setup=setup, events=events,
                        match_info={"label": "Browser test", "mode": "practice", "source_match_id": 1, "table_no": None})
    path.write_text(json.dumps(doc))


@pytest.fixture(scope="module")
def shared_replay(server, server_env, tmp_path_factory):
    """(base URL, share URL): a recorded bot game imported into the test server and shared."""
    path = tmp_path_factory.mktemp("replay-browser") / "replay.json"
    _replay_file(path)
    out = _manage(server_env, "import_replay", str(path), "--share", "--base-url", server)
    return server, re.search(r"share link: (\S+)", out).group(1)


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport=LAPTOP)
    yield context.new_page()
    context.close()


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
