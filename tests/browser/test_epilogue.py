"""The epilogue on the table page: a practice game that plays it reaches a deal, the aftermath's news and
the questions to the trainee's team appear with three plain controls, the trainee holds, clarifies and
reopens with the real controls, and the debrief shows what each side did."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, ROOT
from tests.browser.layout import PHONE, check_page
from tests.browser.pages import Table

# Run in the test server's database: the game goes on to round 1's table, where the two teams agree the
# real package (whichever team holds the floor proposes it, the other accepts).
TO_THE_DEAL = r"""
import sys, django
django.setup()
from game.engine import FACILITATOR, MoveError
from game.models import Match
from game.selectors import scenario_of
from game.selectors import state_from_snapshot
from game.services import ServiceError, match_submit_move
match = Match.objects.get(pk=int(sys.argv[1]))
def match_state(pk):
    row = Match.objects.get(pk=pk)
    return state_from_snapshot(row.snapshot, row.version)
scenario = scenario_of(match.scenario)
package = scenario.historical_outcome.package
def speaker(team, state):
    levels = scenario.rounds[state.round].levels
    roles = scenario.roles_of(team)
    return next((r.id for r in roles if r.level in levels and r.level != "leader"), next(r.id for r in roles if r.level != "leader"))
for _ in range(200):
    state = match_state(match.pk)
    if state.phase == "epilogue" or state.status == "finished":
        break
    try:
        if state.phase != "table":
            match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "advance"})
            continue
        team = state.floor
        other = scenario.other_team(team)
        theirs = state.teams[other].standing_offer
        if theirs and state.offers[theirs].package == package:
            match_submit_move(match_id=match.pk, seat=speaker(team, state), move={"kind": "accept", "offer": theirs})
        else:
            match_submit_move(match_id=match.pk, seat=speaker(team, state), move={"kind": "propose", "package": package})
    except (MoveError, ServiceError):
        pass  # a bot moved first: look again
print(match_state(match.pk).phase)
"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_trainee_answers_the_epilogue_with_the_real_controls(new_page, server_env, screenshots, viewport):
    page = new_page(viewport)
    page.goto("/practice/")
    choice = page.get_by_label("Play the epilogue after a deal")
    expect(choice).not_to_be_checked()
    choice.check()
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    table.wait_live()
    match_id = page.evaluate("() => JSON.parse(document.getElementById('table-config').textContent).match")
    run = subprocess.run([sys.executable, "-c", TO_THE_DEAL, str(match_id)], cwd=ROOT, env=server_env,
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "epilogue", run.stderr[-2000:]
    # Those moves were made outside the server process, so no notification reaches the page: it catches
    # up from the log on its socket's next ping (every 15 s), which it sends at once when kicked.
    page.evaluate("() => window.__tableSocket.kick()")
    table.wait_phase("epilogue")

    panel = page.locator("#epilogue-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#injects")).to_contain_text("20 February 2026: the Supreme Court strikes down the tariffs")
    expect(page.locator("#injects")).to_contain_text("26 October: the framework in writing")
    mine = panel.locator(".epilogue__card--mine")
    expect(mine).to_have_count(3)
    ruling = panel.locator("[data-pressure='ruling_vn']")
    expect(ruling).to_contain_text("The 20% your concessions bought has lost its legal basis")
    expect(ruling.get_by_role("button", name="Hold the deal")).to_be_visible()
    expect(ruling.get_by_role("button", name="Clarify and keep the term")).to_be_visible()
    expect(ruling.get_by_role("button", name="Reopen this term")).to_be_visible()
    name = "phone" if viewport is PHONE else "laptop"
    table.settle()
    page.evaluate("() => window.scrollTo(0, 0)")
    problems = check_page(page, "epilogue-table", screenshots, role_title=True)
    assert not problems, problems
    # What the trainee sees of the epilogue: its briefing and the first question, with its controls.
    # (On a laptop the table column scrolls by itself: the page stays at its top.)
    page.evaluate("laptop => { document.getElementById('epilogue-h').scrollIntoView({block: 'start'}); if (laptop) window.scrollTo(0, 0); else window.scrollBy(0, -190); }",
                  viewport is LAPTOP)
    page.screenshot(path=str(screenshots / f"epilogue-{name}.png"))

    # Hold one, clarify one, reopen one: each answer shows at once, in words.
    assert table.act(ruling.get_by_role("button", name="Hold the deal"))
    expect(ruling).to_contain_text("Vietnam held the deal as agreed.")
    scope = panel.locator("[data-pressure='transshipment_scope_vn']")
    scope.get_by_label("What your team says to keep the term").fill("Transshipment means goods that fail the agreed origin rules.")
    assert table.act(scope.get_by_role("button", name="Clarify and keep the term"))
    expect(scope).to_contain_text("Vietnam clarified the deal and kept the term: “Transshipment means goods that fail the agreed origin rules.”")
    export = panel.locator("[data-pressure='export_list_vn']")
    export.get_by_label("The term to reopen, and what your team now asks").select_option(label="No commitment on Chinese content")
    assert table.act(export.get_by_role("button", name="Reopen this term"))
    expect(export).to_contain_text("Vietnam reopened Supply chains and Chinese content (the US long list): from “A joint supply-chain security dialogue and export-control information sharing” to “No commitment on Chinese content”")

    # The trainee closes the epilogue (the US bots may have answered already, which ends it by itself).
    if table.state()["status"] != "finished":
        assert table.advance()
    expect(page.locator("#banner")).to_contain_text("Deal reached — the game is over.")
    page.locator("#open-debrief").click()
    summary = page.locator("#epilogue-summary")
    expect(summary).to_contain_text("Reopened a term: Supply chains and Chinese content (the US long list)")
    expect(summary).to_contain_text("Held the deal")
    expect(summary).to_contain_text("Clarified the deal and kept the term")
