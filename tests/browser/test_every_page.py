"""Every page, and every state of the table page, at 1440x900 and 390x844: no horizontal overflow, no
header controls on top of each other, the role title in view, no WCAG 2.1 A/AA violation (axe-core).

Reached through the real UI only -- each form posted by clicking its button (conftest's page factory
fails the test if any post is refused) -- with one played game per path reused for every page it leads
to. Screenshots of both sizes go to docs/screenshots/ with UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect

from tests.browser.layout import SIZES, Audit
from tests.browser.pages import Table

PHASES = ("briefing", "caucus", "table", "review")


def _practise(page, team: str, role: str, *, hidden: bool = False) -> Table:
    page.goto("/practice/")
    page.locator(f"input[name=team][value={team}]").check()
    page.locator(f"input[name=role_id][value={role}]").check()
    if hidden:
        page.locator("input[name=persona][value=hidden]:not([disabled])").check()
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    table.wait_live()
    return table


def _each_phase(table: Table, team: str, check: Audit) -> None:
    """Advance from round 0's briefing until every phase has been seen once (round 0 has no table)."""
    seen: set[str] = set()
    while True:
        table.settle(quiet=0.3, limit=3)
        phase = table.state()["phase"]
        if phase not in seen:
            seen.add(phase)
            check(table.page, f"table-{team}-{phase}", role_title=True)
            if phase == "briefing":  # an unavailable action says why on a phone, where nothing hovers
                page = table.page
                page.set_viewport_size(SIZES["phone"])
                propose = page.get_by_role("button", name="Propose this package")
                expect(propose).to_have_attribute("aria-disabled", "true")
                expect(page.locator(f"#{propose.get_attribute('aria-describedby')}")).to_be_visible()
                page.set_viewport_size(SIZES["laptop"])
            if phase == "caucus":  # after drafting (which endorses it), the button says so and is unavailable
                page = table.page
                assert table.act(page.get_by_role("button", name="Save draft mandate"))
                endorse = page.locator("button[data-kind=endorse_mandate]")
                expect(endorse).to_have_text("✓ You endorse v1")
                expect(endorse).to_have_attribute("aria-disabled", "true")
        if seen == set(PHASES):
            return
        assert table.advance(), f"advancing from {phase} did nothing"


def _play_to_the_end(table: Table) -> None:
    deadline = time.monotonic() + 90
    while table.state()["status"] != "finished":
        assert time.monotonic() < deadline, f"the practice game did not finish: {table.state()}"
        table.advance()
        table.settle(quiet=0.2, limit=2)


def test_every_page_of_a_practice_game_as_each_team_and_the_replay_shared_and_revoked(new_page, screenshots):
    check = Audit(screenshots)
    page = new_page()
    page.goto("/")
    expect(page.locator(".hero__lead")).to_contain_text("the 7 rounds (0 to 6) of the 2025 reciprocal-trade talks")
    check(page, "landing")
    page.get_by_role("link", name="Practise against the bot").first.click()
    check(page, "practice-setup")

    vn = _practise(page, "vn", "vn_trade")
    _each_phase(vn, "vn", check)

    us = _practise(new_page(), "us", "us_treasury", hidden=True)
    page = us.page
    expect(page.locator("#role-brief")).to_contain_text("You were appointed lead US negotiator with Vietnam")
    _each_phase(us, "us", check)
    _play_to_the_end(us)
    check(page, "table-us-finished", role_title=True)

    page.get_by_role("link", name="Open the debrief →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the negotiation went")
    check(page, "debrief")
    # A hidden persona: the trainee guesses which it was (a form post of this page).
    quiz = page.get_by_role("button", name="Check my answer")
    page.locator("input[name=persona]").first.check()
    quiz.click()
    expect(quiz).to_have_count(0)
    check(page, "debrief-persona-answered")

    page.get_by_role("link", name="Step through the replay").click()
    page.wait_for_selector("body[data-replay-ready='1']")
    check(page, "replay")
    # The game's own pacing (its start, each phase) is the game's, not a move of the seat that pressed "advance".
    events = json.loads(page.inner_text("#replay-data"))["events"]
    assert [e["who"] for e in events if e["type"] in ("match_started", "phase_started")] == ["Game"] * 3 + ["Game"] * (
        sum(e["type"] in ("match_started", "phase_started") for e in events) - 3)
    expect(page.locator(".rp-timeline .tl strong").first).to_have_text("Game")
    # The alignment chart's end labels (one per team) do not sit on each other.
    ends = [box for box in (label.bounding_box() for label in page.locator("#chart-index .rp-label").all()) if box]
    assert len(ends) == 2
    top, bottom = sorted(ends, key=lambda b: b["y"])
    assert top["y"] + top["height"] <= bottom["y"] + 0.5, f"the alignment chart's end labels overlap: {ends}"
    # Sharing and revoking are form posts from a page that keeps its URL's share token to itself.
    page.get_by_role("button", name="Create a share link").click()
    expect(page).to_have_url(re.compile(r"\?shared=\d+"))
    link = page.get_by_label("Share link").first.input_value()
    check(page, "replay-shared")
    viewer = new_page()
    viewer.goto(link)
    viewer.wait_for_selector("body[data-replay-ready='1']")
    expect(viewer.locator(".eyebrow").first).to_contain_text("shared read-only link")
    check(viewer, "share-link")
    page.get_by_role("button", name="Revoke").first.click()
    expect(page.get_by_text("No live share links.")).to_be_visible()
    viewer.reload()
    expect(viewer.get_by_role("heading", name="We could not open that replay")).to_be_visible()

    page.goto("/replays/")
    check(page, "replay-library")
    check.assert_clean()


def test_every_page_of_a_workshop_from_sign_up_to_the_debrief(new_page, screenshots):
    check = Audit(screenshots)
    fac = new_page()
    fac.goto("/facilitator/")
    expect(fac.get_by_role("heading", name="Facilitator sign-in")).to_be_visible()
    check(fac, "sign-in")
    fac.get_by_role("link", name="Create a facilitator account").click()
    fac.get_by_label("Username").fill("pat")
    fac.get_by_label("Password", exact=True).fill("short")
    fac.get_by_label("Password confirmation").fill("short")
    fac.get_by_role("button", name="Create account").click()
    # The short-password error sits with the password, and the inputs describe themselves by real ids.
    expect(fac.locator("#id_password1_error")).to_contain_text("too short")
    expect(fac.locator("#id_password2_error")).to_have_count(0)
    expect(fac.get_by_label("Password", exact=True)).to_have_attribute("aria-describedby", re.compile("id_password1_error"))
    check(fac, "sign-up-error")
    fac.get_by_label("Password", exact=True).fill("Negotiate-2025!")
    fac.get_by_label("Password confirmation").fill("Negotiate-2025!")
    fac.get_by_role("button", name="Create account").click()
    expect(fac.get_by_role("heading", name="Your workshops")).to_be_visible()
    check(fac, "facilitator-home")

    form = fac.locator("#create-workshop")
    form.get_by_label("Title").fill("Da Nang cohort")
    form.get_by_label("Tables").fill("2")
    for phase in ("Caucus", "Table"):
        form.get_by_label(phase, exact=True).fill("")
    form.get_by_role("button", name="Create workshop").click()
    expect(fac.get_by_role("heading", name="Da Nang cohort")).to_be_visible()
    code = fac.locator("#join-code").inner_text().strip()
    expect(fac.locator("#conn")).to_have_text("Live")
    check(fac, "console")
    fac.get_by_role("button", name="Show full screen for the projector").click()
    expect(fac.locator("#projector")).to_be_visible()
    check(fac, "console-projector")
    fac.keyboard.press("Escape")
    expect(fac.locator("#projector")).to_be_hidden()

    trainee = new_page()
    trainee.goto("/")
    trainee.get_by_label("Workshop code").fill(code.lower())
    trainee.get_by_role("button", name="Join").click()
    expect(trainee.get_by_role("heading", name="Da Nang cohort")).to_be_visible()
    expect(trainee.get_by_role("group", name=re.compile("United States"))).not_to_have_count(0)
    check(trainee, "join")
    trainee.get_by_label("Your name").fill("Linh")
    trainee.locator("input[name=seat][value='1:vn_trade']").check()
    trainee.get_by_role("button", name="Take my seat").click()
    table = Table(trainee)
    table.wait_live()
    expect(trainee.locator("#banner")).to_contain_text("Waiting for the facilitator to start")
    check(trainee, "lobby", role_title=True)

    # Back on the join page, the trainee is sent to their seat, not offered a second one.
    trainee.goto(f"/join/{code}/")
    expect(trainee.get_by_text("You already have a seat here.")).to_be_visible()
    expect(trainee.get_by_role("button", name="Take my seat")).to_have_count(0)
    check(trainee, "rejoin")
    trainee.get_by_role("link", name="Go back to your table").click()
    table.wait_live()

    fac.get_by_role("button", name="Start all").click()
    table.wait_phase("briefing", 0)
    check(fac, "console-running")
    trainee.close()  # the trainee goes offline: an idle seat, flagged while the table runs
    expect(fac.locator(".tcard__flags").first).to_contain_text("Idle seat")
    fac.once("dialog", lambda dialog: dialog.accept())
    fac.get_by_role("button", name="End all").click()
    expect(fac.locator(".tcard").first).to_contain_text("Finished")
    # Once every table is over: no idle warnings, the debrief is the main button, the answer covers no card.
    expect(fac.locator(".tcard__flags")).to_have_count(0)
    expect(fac.get_by_role("button", name=re.compile("Hand to a bot"))).to_have_count(0)  # no seat left to play
    expect(fac.get_by_role("button", name="Start all")).not_to_have_class(re.compile("button--go"))
    expect(fac.get_by_role("link", name="Open the debrief")).to_have_class(re.compile("button--go"))
    toast = fac.locator("#toast")
    expect(toast).to_contain_text("End all")
    for size in ("laptop", "phone"):
        fac.set_viewport_size(SIZES[size])
        box = toast.bounding_box()
        for card in fac.locator(".tcard").all():
            c = card.bounding_box()
            assert box["y"] + box["height"] <= c["y"] or c["y"] + c["height"] <= box["y"], f"{size}: the toast covers a table card"
    check(fac, "console-ended")

    fac.get_by_role("link", name="Open the debrief").click()
    check(fac, "workshop-debrief")
    fac.goto(f"/replays/workshop/{code}/")
    check(fac, "workshop-replays")
    # Signing out and in again: the two remaining forms of the facilitator's pages.
    fac.get_by_role("button", name=re.compile("Sign out")).click()
    fac.goto("/facilitator/")
    fac.get_by_label("Username").fill("pat")
    fac.get_by_label("Password").fill("Negotiate-2025!")
    fac.get_by_role("button", name="Sign in").click()
    expect(fac.get_by_role("heading", name="Your workshops")).to_be_visible()
    check.assert_clean()
