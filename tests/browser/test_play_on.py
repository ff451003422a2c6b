"""Play on from here, through the real pages: a facilitator ends a workshop table, opens its replay,
steps to a position with the keyboard, takes a seat of either team there and lands at a live practice
table holding that position; on a laptop and on a phone."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import Table
from tests.browser.test_console_seats import PHONE, _csp_watch, _finished_workshop


def _refused_posts(page) -> list[str]:
    """Every form post the server refused (a CSRF failure, a 4xx or 5xx answer to a POST)."""
    refused: list[str] = []
    page.on("response", lambda r: refused.append(f"{r.status} {r.url}") if r.request.method == "POST" and r.status >= 400 else None)
    return refused


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_play_on_from_a_replay_step_opens_a_practice_table_at_that_position(new_page, screenshots, viewport):
    fac = new_page(viewport)
    csp, refused = _csp_watch(fac), _refused_posts(fac)
    code = _finished_workshop(fac)
    fac.goto(f"/replays/workshop/{code}/")
    fac.locator("tr", has_text="Table 1").get_by_role("link", name="Replay").click()
    fac.wait_for_selector("body[data-replay-ready='1']")

    fac.locator("body").click(position={"x": 5, "y": 5})
    fac.keyboard.press("ArrowRight")
    fac.keyboard.press("ArrowRight")
    form = fac.locator("[data-playon]")
    expect(form.get_by_label("From event")).to_have_value("2")  # the form follows the replay's step
    form.get_by_label("Your seat").select_option("vn_trade")
    form.scroll_into_view_if_needed()
    fac.screenshot(path=str(screenshots / f"replay-play-on-{viewport['width']}.png"), full_page=False)
    form.get_by_role("button", name="Play on from here").click()

    table = Table(fac)
    table.wait_live()
    assert "/play/" in fac.url
    expect(fac.locator("body")).to_contain_text("Round 0", ignore_case=True)
    expect(fac.locator("[data-origin]")).to_contain_text("event 2 of another game")  # the way back to the origin
    fac.screenshot(path=str(screenshots / f"play-on-table-{viewport['width']}.png"), full_page=False)

    # A step beyond the log is refused with a clear page, and the replay is one click away.
    fac.go_back()
    fac.wait_for_selector("body[data-replay-ready='1']")
    form = fac.locator("[data-playon]")
    form.get_by_label("From event").fill("999")
    fac.evaluate("document.querySelector('[data-playon-step]').removeAttribute('max')")
    form.get_by_role("button", name="Play on from here").click()
    expect(fac.get_by_role("heading", name="That game could not start")).to_be_visible()
    expect(fac.locator("body")).to_contain_text("There is no step 999")
    fac.get_by_role("link", name="Back to the replay").click()
    fac.wait_for_selector("body[data-replay-ready='1']")
    assert [r for r in refused if "/play-on/" not in r] == [], refused
    assert csp == [], csp
