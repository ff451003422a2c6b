"""The mistakes drill through the real pages: a trainee opens it from a finished game's debrief,
chooses a move at a position, and reads the rubric's verdict and the original reason; laptop and phone.

The finished game is a recorded bot game written into the test server's database, with the trainee's
seat held by this browser (its seat cookie, signed by the server's key, as the table page sets it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.test_console_seats import PHONE, _csp_watch
from tests.browser.test_play_on import _refused_posts
from tests.browser.test_replay import ROOT

_SEAT_A_FINISHED_GAME = """
import json, secrets, django
django.setup()
from django.http import HttpResponse
from game import seat_cookies
from game.bots import play_game
from game.engine import MatchSetup, replay
from game.models import Match, MatchEvent, ScenarioRecord, Seat
from game.selectors import scenario_of
from game.services import seat_token_hash
record = ScenarioRecord.objects.get(scenario_id="us_vietnam_2025")
scenario = scenario_of(record)
setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version, seed=5)
events = play_game(scenario, {"us": "never_concede", "vn": "never_concede"}, 5)
state = replay(scenario, setup, events)
match = Match.objects.create(scenario=record, label="Drill game", setup=setup.model_dump(mode="json"), status=state.status,
                             version=state.version, snapshot=state.to_json())
token = secrets.token_urlsafe(32)
Seat.objects.bulk_create([Seat(match=match, role_id=r.id, team=r.team, kind="bot", persona="never_concede") for r in scenario.roles])
Seat.objects.filter(match=match, role_id="vn_trade").update(kind="human", display_name="Lan", token_hash=seat_token_hash(token))
MatchEvent.objects.bulk_create([MatchEvent(match=match, seq=e.seq, type=e.type, actor=e.actor, team=e.team, visibility=e.visibility,
                                           round=e.round, phase=e.phase, at=e.at, data=e.data) for e in events])
from game.engine import FACILITATOR
from game.services import match_submit_move, practice_play_on
played_on, new_token = practice_play_on(origin=match, step=20, role_id="vn_trade", display_name="Lan")
match_submit_move(match_id=played_on.pk, seat=FACILITATOR, move={"kind": "end", "reason": "trying another line"})
cookies = []
for m, t in ((match, token), (played_on, new_token)):
    name = seat_cookies.cookie_name(m.pk)
    cookies.append({"name": name, "value": seat_cookies.remember(HttpResponse(), m.pk, t).cookies[name].value})
print(json.dumps({"public_id": match.public_id, "played_on": played_on.public_id, "cookies": cookies}))
"""


@pytest.fixture(scope="module")
def drill_game(server, server_env):
    done = subprocess.run([sys.executable, "-c", _SEAT_A_FINISHED_GAME], cwd=ROOT, env=server_env, capture_output=True, text=True, timeout=180, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_trainee_drills_a_costly_move_and_reads_why_it_was_marked(new_page, server, drill_game, screenshots, viewport):
    page = new_page(viewport)
    page.context.add_cookies([{**c, "url": server} for c in drill_game["cookies"]])
    csp, refused = _csp_watch(page), _refused_posts(page)
    page.goto(f"/play/{drill_game['public_id']}/debrief/")
    page.get_by_role("link", name="Drill your costliest mistakes").click()
    expect(page.get_by_role("heading", name="Learn from your mistakes")).to_be_visible()
    first = page.locator("[data-drill]").first
    expect(first.locator("[data-drill-reason]")).to_have_count(0)  # the reason comes after the answer
    first.locator("[data-choice] input").last.check()
    first.get_by_role("button", name="Check my answer").click()
    first = page.locator("[data-drill]").first
    expect(first.locator("[data-drill-reason]")).to_contain_text("Why your move was marked")
    expect(first).to_contain_text("The move you played.")
    expect(first.locator(".drill__choice--chosen")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the drill scrolls sideways"
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"drill-{viewport['width']}.png"), full_page=False)
    assert refused == [] and csp == [], refused + csp


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_played_on_games_debrief_compares_both_outcomes_and_links_back(new_page, server, drill_game, screenshots, viewport):
    page = new_page(viewport)
    page.context.add_cookies([{**c, "url": server} for c in drill_game["cookies"]])
    refused = _refused_posts(page)
    page.goto(f"/play/{drill_game['played_on']}/debrief/")
    panel = page.locator("#played-on")
    expect(panel).to_contain_text("from its event 20")
    expect(panel.get_by_role("row")).to_have_count(4)  # the header, the result, one row per team
    expect(panel).to_contain_text("Original game")
    # (the rest of the debrief's width at 390 px is the layout work of its own issue; this panel fits)
    assert page.evaluate("(() => { const r = document.getElementById('played-on').getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; })()")
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"debrief-played-on-{viewport['width']}.png"), full_page=False)
    panel.get_by_role("link", name="Open the original replay at that point").click()
    page.wait_for_selector("body[data-replay-ready='1']")
    assert page.inner_text("#rp-pos").startswith("Event 20 of")
    assert refused == [], refused
