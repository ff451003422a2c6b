"""A card whose day has not come is not offered as playable: the table page says why, and from which
round, on the card itself, and its Prepare button is off for that reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import start_practice

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_card_before_its_day_waits_with_the_reason_and_plays_from_its_round(new_page, screenshots, viewport):
    page = new_page(viewport)
    table = start_practice(page, "Vietnam", "Minister of Industry and Trade")
    assert table.advance()
    table.wait_phase("caucus", 0)

    # Round 0 is late March: the aircraft purchase dates from 10 April.
    boeing = page.locator("#deliverables [data-card='vn_boeing_order']")
    early = boeing.locator(".card-item__early")
    expect(early).to_have_text("Aircraft purchase: Vietnam Airlines buys Boeing was not possible before 10 April 2025: it can be prepared from round 1 (2–10 April 2025).")
    prepare = boeing.get_by_role("button", name="Prepare (sign off)")
    expect(prepare).to_have_attribute("aria-disabled", "true")
    table.settle()  # the bots' caucus moves redraw the cards: photograph a still page
    name = "phone" if viewport is PHONE else "laptop"
    boeing.screenshot(path=str(screenshots / f"card-waiting-{name}.png"))
    # Clicking it anyway signs nothing.
    prepare.click(force=True)
    table.settle()
    expect(boeing.locator(".owners")).not_to_contain_text("signed: you")
    expect(early).to_be_visible()

    # In round 1 its day has come: the reason is gone and the card is prepared with one click.
    while table.state()["round"] != "1" or table.state()["phase"] != "caucus":
        table.settle()
        assert table.advance()
    expect(early).to_have_count(0)
    expect(prepare).not_to_have_attribute("aria-disabled", "true")
    assert table.act(prepare)
    expect(boeing.locator(".owners")).to_contain_text("signed: you")
