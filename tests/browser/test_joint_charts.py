"""The joint-value charts in real Chromium: the debrief and the replay draw every Nash point and the
frontier inside every role's red lines beside the BATNA one, at laptop and phone sizes.

A finished practice match with a deal is written into the test server's database by a helper process
(the bots play every seat through the service layer, the trainee's included); its seat cookie is
signed there and handed to the browser.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.scenario_files import default_scenario
from tests.browser.conftest import LAPTOP, page_factory
from tests.browser.test_replay import shared_replay  # noqa: F401  (the module's fixture, reused)

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}

PLAY_A_DEAL = r'''
import json, django
django.setup()
from django.http import HttpResponse
from game import selectors, services, seat_cookies
from game.bots.play import resolve_player
from game.engine import FACILITATOR
from game.models import Match, ScenarioRecord

record = ScenarioRecord.objects.get(scenario_id="us_vietnam_2025")
personas = {"us": "us_pragmatic", "vn": "vn_pragmatic"}
match, token = services.practice_create(scenario_record=record, team="vn", role_id="vn_trade", personas=personas)
for _ in range(3000):
    loaded = selectors.match_load(match.pk, after_seq=0)
    state, scenario, events = loaded.state, loaded.scenario, loaded.events
    if state.status == "finished":
        break
    planned = None
    if state.status == "lobby":
        planned = ("vn_trade", {"kind": "start"})
    elif state.phase == "caucus":
        for team, persona in personas.items():
            player = resolve_player(scenario, persona)
            for role in scenario.roles_of(team):
                move = player.caucus_move(scenario, state, events, role.id, 0, 0.0, None)
                if move is not None:
                    planned = (role.id, move)  # a bot's move, its reasons sentences: submitted as the bot made it
                    break
            if planned:
                break
    elif state.phase == "table" and state.floor:
        got = resolve_player(scenario, personas[state.floor]).team_move(scenario, state, events, state.floor, 0, 0.0, None)
        if got is not None:
            planned = got
    seat, move = planned or ("vn_trade", {"kind": "advance"})
    services.match_submit_move(match_id=match.pk, seat=seat, move=move)
response = seat_cookies.remember(HttpResponse(), match.pk, token)
name = seat_cookies.cookie_name(match.pk)
print(json.dumps({"public_id": match.public_id, "cookie": name, "value": response.cookies[name].value,
                  "result": Match.objects.get(pk=match.pk).snapshot["result"]["kind"]}))
'''


@pytest.fixture(scope="module")
def finished_deal(server, server_env):
    done = subprocess.run([sys.executable, "-c", PLAY_A_DEAL], cwd=ROOT, env=server_env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"could not play a deal into the test server:\n{done.stdout}\n{done.stderr[-3000:]}")
    info = json.loads(done.stdout.strip().splitlines()[-1])
    assert info["result"] == "deal", info
    return info


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_debrief_chart_shows_every_nash_point_and_the_red_line_frontier(browser, server, finished_deal, viewport, screenshots):
    with page_factory(browser, server) as make:
        page = make(viewport)
        page.context.add_cookies([{"name": finished_deal["cookie"], "value": finished_deal["value"], "url": server}])
        page.goto(f"/play/{finished_deal['public_id']}/debrief/")
        chart = page.locator("svg.pareto")
        chart.scroll_into_view_if_needed()
        assert chart.locator(".mark-nash").count() == 2
        assert chart.locator(".redline-dot").count() == 7
        assert "inside every red line" in chart.text_content()
        legend = page.locator(".legend").inner_text()
        assert "48 packages" in legend and "Nash points" in legend
        # The per-role view of the mandate and the deal is there for both teams: a row for every role.
        roles = page.locator("#roles-h + .team-split")
        assert roles.locator("tbody tr").count() == len(default_scenario().roles) == 11
        page.locator("section[aria-labelledby='pareto-h']").screenshot(path=str(screenshots / f"debrief-joint-{viewport['width']}.png"))
        page.locator("section[aria-labelledby='roles-h']").screenshot(path=str(screenshots / f"debrief-roles-{viewport['width']}.png"))


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_replay_chart_shows_every_nash_point_and_the_red_line_frontier(browser, shared_replay, viewport, screenshots):  # noqa: F811
    base, share_url = shared_replay
    with page_factory(browser, base) as make:
        page = make(viewport)
        page.goto(share_url)
        page.wait_for_selector("body[data-replay-ready='1']")
        chart = page.locator("#chart-pareto")
        chart.scroll_into_view_if_needed()
        assert chart.locator(".rp-nash").count() == 2
        assert chart.locator(".rp-redline-dot").count() == 7
        chart.screenshot(path=str(screenshots / f"replay-pareto-{viewport['width']}.png"))
