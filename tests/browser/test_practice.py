"""A trainee practises alone against the bots, from the landing page to the debrief, through the UI only."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.pages import Table, start_practice


def test_a_practice_game_from_the_landing_page_to_the_debrief(new_page, screenshots):
    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Align your house")
    # Click 1: "Practise" -> the set-up page, with sensible defaults already chosen.
    page.get_by_role("link", name="Practise against the bot").first.click()
    expect(page).to_have_url(re.compile(r"/practice/$"))
    expect(page.locator("input[name=team]:checked")).to_have_count(1)
    expect(page.locator("input[name=role_id]:checked")).to_have_count(1)
    expect(page.locator("input[name=persona]:checked")).to_have_count(1)
    expect(page.locator("#setup-summary")).to_contain_text("against")
    page.screenshot(path=str(screenshots / "practice-setup.png"))
    # Click 2: "Start" -> the table, on round 0's briefing.
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    expect(page.locator("#round-title")).to_have_text("Aligning the house")
    expect(table.bar).to_have_attribute("data-phase", "briefing")
    expect(page.locator("#round-sources .cite-item--seed_quote a").first).to_have_attribute("href", re.compile(r"^/seeds/[a-z_]+/\?q="))
    table.wait_live()
    me = table.state()["team"]
    other = "us" if me == "vn" else "vn"
    # The reason a move is unavailable is on the button itself (hover and keyboard focus).
    propose = page.get_by_role("button", name="Propose this package")
    expect(propose).to_have_attribute("aria-disabled", "true")
    propose.focus()
    expect(page.locator(f"#{propose.get_attribute('aria-describedby')}")).to_contain_text("Table phase")

    drafted = shot = probed_out = False
    deadline = time.monotonic() + 75
    while table.state()["status"] != "finished":
        assert time.monotonic() < deadline, f"the practice game did not finish: {table.state()}"
        s = table.state()
        rnd = int(s["round"])
        if s["phase"] == "caucus":
            if not drafted:
                save = page.get_by_role("button", name="Save draft mandate")
                expect(save).to_be_visible()
                assert table.act(save), "drafting the mandate did nothing"
                drafted = True
                expect(page.locator("#mandate-status")).to_contain_text("v1")
                table.settle()
                continue
            minister = page.locator(".speaker-buttons button", has_text="Minister")
            if rnd >= 1 and minister.get_attribute("aria-pressed") != "true" and table.available(minister):
                table.act(minister)
                continue
        if s["phase"] == "table":
            if s["floor"] != me:
                table.settle()
                if table.state()["floor"] != me and table.state()["phase"] == "table":
                    table.advance()  # the bots have nothing more to say this round
                continue
            if rnd >= 1 and not shot and table.offer_of(other) and table.offer_of(me):
                page.evaluate("document.querySelectorAll('.col').forEach(c => c.scrollTo(0, 0)); window.scrollTo(0, 0)")
                page.mouse.move(0, 0)
                page.screenshot(path=str(screenshots / "table.png"))
                shot = True
            accept = page.get_by_role("button", name="Accept their offer")
            reasonable = table.offer_of(other) and "above BATNA" in page.locator(f"#offers .offer[data-team='{other}']").inner_text()
            if rnd >= 2 and reasonable and table.available(accept):
                accept.click()
                confirm = page.get_by_role("button", name="Yes, accept the deal")
                expect(confirm).to_be_focused()
                table.act(confirm)
                break
            if rnd >= 1 and not probed_out:
                # Supporting moves keep the floor, up to the scenario's limit; the guide counts them down
                # and then says plainly that none is left (not "Up to 0").
                probe = page.get_by_role("button", name="Probe", exact=True)
                expect(page.locator("#floor")).to_contain_text("Up to 3 supporting moves")
                for _ in range(3):
                    assert table.act(probe), "the probe was not applied"
                expect(page.locator("#floor")).to_contain_text("No supporting moves left this turn")
                expect(page.locator("#floor")).not_to_contain_text("Up to 0")
                assert not table.available(probe)
                probed_out = True
                continue
            if not table.offer_of(me) and table.available(propose):
                assert table.act(propose), "the proposal was not applied"
                continue
            statement = page.get_by_role("button", name="Make statement")
            page.get_by_label("Diplomatic statement").fill("We stand by our offer: our whole team is behind it.")
            if table.act(statement):
                continue
        table.advance()
        table.settle(quiet=0.3, limit=3)

    # The game is over: the banner leads to the debrief.
    expect(table.bar).to_have_attribute("data-status", "finished")
    page.get_by_role("link", name="Open the debrief →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the negotiation went")
    board = page.locator("#board-h + .scroll-x table tbody tr")
    expect(board).to_have_count(2)
    assert all(float(x) >= 0 for x in board.locator("td.num strong").all_inner_texts())
    expect(page.locator("svg.pareto")).to_be_visible()
    expect(page.locator(".ocard")).to_have_count(2)
    expect(page.locator("#align-h")).to_be_visible()
    if page.locator(".result-banner--none").count() == 0:  # a deal: its marker says where it lies
        expect(page.locator(".legend li").first).to_contain_text(re.compile(r"This deal \(US \d+, VN \d+, \d+ joint\)"))
    page.screenshot(path=str(screenshots / "debrief.png"), full_page=True)
    assert shot, "no table screenshot was taken"
    assert probed_out, "the trainee never used up the supporting moves of a turn"


def test_reloading_mid_round_restores_the_page_and_a_dropped_socket_reconnects_by_itself(new_page):
    page = new_page()
    table = start_practice(page)
    table.advance()
    table.wait_phase("caucus", 0)
    assert table.act(page.get_by_role("button", name="Save draft mandate"))
    expect(page.locator("#mandate-status")).to_contain_text("v1")
    chat = page.get_by_label("Message to your team")
    chat.fill("Reload test: still here?")
    table.act(page.get_by_role("button", name="Send"))
    expect(page.locator("#chat-list")).to_contain_text("Reload test: still here?")
    table.settle()
    before = table.state()

    page.reload()
    table.wait_live()
    after = table.state()
    assert (after["round"], after["phase"], after["version"]) == (before["round"], before["phase"], before["version"])
    expect(page.locator("#chat-list")).to_contain_text("Reload test: still here?")
    expect(page.locator("#mandate-status")).to_contain_text("v1")
    expect(page.locator("#timeline")).to_contain_text("drafted mandate v1")

    # The connection drops: the page says so, reconnects by itself and catches up from its last seq.
    opened = page.evaluate("window.__tableSocket.opens")
    page.evaluate("window.__tableSocket.ws.close()")
    page.wait_for_function("n => window.__tableSocket.opens > n", arg=opened, timeout=10_000)
    expect(page.locator("#sb-conn")).to_have_text("Live")
    assert table.advance(), "a move after reconnecting was not applied"
    table.wait_phase("review", 0)
    expect(page.locator("#timeline")).to_contain_text("Round review began")


def test_a_refused_move_is_explained_in_a_sentence(new_page):
    # Team chat is capped per seat and minute: the message after the cap is refused by the server, and
    # the page says why, as a sentence (the server's reasons are clauses).
    page = new_page()
    start_practice(page)
    chat = page.locator("#chat-input")
    toast = page.locator("#toast")
    for n in range(40):
        chat.fill(f"Note {n} for the team.")
        chat.press("Enter")
        # Either the server took it (the box empties) or it refused it (the toast shows).
        page.wait_for_function(
            "() => document.getElementById('chat-input').value === '' || !document.getElementById('toast').hidden"
        )
        if toast.is_visible():
            break
    expect(toast).to_be_visible()
    text = toast.locator("p").inner_text()
    assert text[:1].isupper(), text
    assert "chat" in text.lower() or "message" in text.lower(), text
    assert n >= 10, f"refused after only {n} messages: {text}"
