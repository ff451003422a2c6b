"""A facilitator and two trainees (three browsers) play a workshop round and see each other live;
the other team never receives the first team's caucus."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import SECRET, Table


def _facilitator_signs_up(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Facilitator sign-in").first.click()
    expect(page.get_by_role("heading", name="Facilitator sign-in")).to_be_visible()
    page.get_by_role("link", name="Create a facilitator account").click()
    page.get_by_label("Username").fill("fran")
    page.get_by_label("Password", exact=True).fill("Negotiate-2025!")
    page.get_by_label("Password confirmation").fill("Negotiate-2025!")
    page.get_by_role("button", name="Create account").click()
    # A new facilitator lands straight on their workshops, ready to create one.
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()


def _create_workshop(page) -> str:
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill("Hanoi cohort")
    form.get_by_label("Tables").fill("1")
    for phase in ("Caucus", "Table"):  # no timers: the facilitator paces this test
        form.get_by_label(phase, exact=True).fill("")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name="Hanoi cohort")).to_be_visible()
    code = page.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code), code
    expect(page.locator("#conn")).to_have_text("Live")
    return code


def _trainee_joins(page, code: str, name: str, seat: str) -> Table:
    page.goto("/")
    page.get_by_label("Workshop code").fill(code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Hanoi cohort")).to_be_visible()
    page.get_by_label("Your name").fill(name)
    page.locator(f"input[name=seat][value='1:{seat}']").check()
    page.get_by_role("button", name="Take my seat").click()
    table = Table(page)
    table.wait_live()
    expect(page.locator("#banner")).to_contain_text("Waiting for the facilitator to start")
    return table


def _facilitator_clicks(fac, label: str) -> None:
    fac.locator(".tcard").get_by_role("button", name=label, exact=True).click()


def test_a_facilitator_and_two_trainees_play_a_round_live_and_caucus_stays_private(new_page, screenshots):
    fac = new_page()
    _facilitator_signs_up(fac)
    code = _create_workshop(fac)

    alice_page, bao_page = new_page(), new_page()
    alice = _trainee_joins(alice_page, code, "Alice", "us_commerce")
    bao = _trainee_joins(bao_page, code, "Bao", "vn_trade")
    # Who is already there: each lobby shows the other arriving; the console shows both online.
    expect(alice_page.locator("#banner")).to_contain_text("Bao (Vietnam)")
    expect(fac.locator(".tcard")).to_contain_text("Alice")
    expect(fac.locator(".tcard")).to_contain_text("Bao")
    expect(fac.locator(".tcard .person--online")).to_have_count(2)

    # The facilitator starts the table: both trainees leave the lobby live.
    _facilitator_clicks(fac, "Start")
    alice.wait_phase("briefing", 0)
    bao.wait_phase("briefing", 0)
    _facilitator_clicks(fac, "Advance")
    alice.wait_phase("caucus", 0)
    bao.wait_phase("caucus", 0)

    # The US caucus: a private plan in team chat, and a mandate.
    alice_page.get_by_label("Message to your team").fill(SECRET)
    alice.act(alice_page.get_by_role("button", name="Send"))
    expect(alice_page.locator("#chat-list")).to_contain_text(SECRET)
    for t, p in ((alice, alice_page), (bao, bao_page)):
        assert t.act(p.get_by_role("button", name="Save draft mandate"))
        expect(p.locator("#mandate-status")).to_contain_text("v1")

    # On to round 1's table; both choose to speak at minister level in its caucus.
    for phase, rnd in (("review", 0), ("briefing", 1), ("caucus", 1)):
        _facilitator_clicks(fac, "Advance")
        alice.wait_phase(phase, rnd)
        bao.wait_phase(phase, rnd)
    for t, p in ((alice, alice_page), (bao, bao_page)):
        t.act(p.locator(".speaker-buttons button", has_text="Minister"))
        expect(p.locator(".speaker-buttons button", has_text="Minister")).to_have_attribute("aria-pressed", "true")
    _facilitator_clicks(fac, "Advance")
    alice.wait_phase("table", 1)
    bao.wait_phase("table", 1)
    expect(fac.locator(".tcard")).to_contain_text("Round 1 · Table")
    fac.screenshot(path=str(screenshots / "console.png"), full_page=True)

    # The facilitator opens the table as an observer (a second tab).
    observer = fac.context.new_page()
    observer.goto(fac.url.rstrip("/") + "/table/1/")
    expect(observer.locator("#sb-conn")).to_have_text("Live")
    expect(observer.locator("#caucus")).to_contain_text("Mandate v1")

    # Vietnam opens round 1: Bao speaks; Alice and the observer see it live.
    expect(bao.bar).to_have_attribute("data-floor", "vn")
    bao_page.get_by_label("Diplomatic statement").fill("Vietnam comes to these talks in good faith.")
    assert bao.act(bao_page.get_by_role("button", name="Make statement"))
    expect(alice_page.locator("#timeline")).to_contain_text("Vietnam comes to these talks in good faith.")
    expect(alice_page.locator("#floor")).to_contain_text("Your team has the floor")
    expect(observer.locator("#timeline")).to_contain_text("Vietnam comes to these talks in good faith.")

    # The US answers with a package; Bao sees it on the table at once, valued on Vietnam's sheet.
    assert alice.act(alice_page.get_by_role("button", name="Propose this package"))
    us_offer = bao_page.locator("#offers .offer[data-team='us']")
    expect(us_offer).to_have_attribute("data-offer", re.compile(r"^o\d+$"))
    expect(us_offer).to_contain_text("for Vietnam")
    expect(bao_page.get_by_role("button", name="Accept their offer")).not_to_have_attribute("aria-disabled", "true")
    expect(observer.locator("#offers .offer[data-team='us']")).to_have_attribute("data-offer", re.compile(r"^o\d+$"))
    observer.screenshot(path=str(screenshots / "observer.png"))

    # The US caucus never reached Vietnam's browser -- not in the DOM, not in anything it was sent.
    assert SECRET not in bao_page.content()
    assert bao_page.evaluate("s => !JSON.stringify(window.__table).includes(s)", SECRET)
    assert SECRET in alice_page.content()
    expect(observer.locator("#caucus")).to_contain_text(SECRET)
