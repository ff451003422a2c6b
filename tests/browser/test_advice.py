"""The trainee's seat is the trainee's: in practice, bot teammates advise the head of the team (a
suggestion card to adopt with one click), remind an idle trainee that the table waits, and play the
floor only when the trainee delegates the round."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import Table

PHONE = {"width": 390, "height": 844}


def start_as_vietnams_head_of_team(page) -> Table:
    page.clock.install()  # the page's own clock, so a test can let a minute of idling pass at once
    page.goto("/practice/")
    page.locator("input[name=team][value=vn]").check()
    page.locator("input[name=role_id][value=vn_trade]").check()
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    table.wait_live()
    return table


def to_round_1_table(table: Table) -> None:
    deadline = time.monotonic() + 30
    while not (table.state()["round"] == "1" and table.state()["phase"] == "table"):
        assert time.monotonic() < deadline, table.state()
        table.advance()
        table.settle(quiet=0.3, limit=3)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_bot_teammates_advise_and_play_only_a_delegated_round(new_page, screenshots, viewport):
    page = new_page(viewport)
    table = start_as_vietnams_head_of_team(page)
    to_round_1_table(table)
    # Whoever opened, the floor comes to Vietnam and stays there: the bots do not move for the trainee.
    expect(table.bar).to_have_attribute("data-floor", "vn", timeout=10_000)
    card = page.locator(".advice-card")
    expect(card).to_contain_text("I suggest we", timeout=10_000)
    table.settle()
    assert table.state()["floor"] == "vn", "a bot teammate took the trainee's floor"
    # The trainee idles: the page reminds them that the table waits for them, and nobody moves for them.
    reminder = page.locator("#floor-reminder")
    expect(reminder).to_be_hidden()
    page.clock.fast_forward(65_000)
    expect(reminder).to_contain_text("The table is waiting for you")
    assert table.state()["floor"] == "vn"
    table.wait_live()  # a minute without a frame may have made the socket check itself and reconnect
    table.settle()
    card.get_by_text("Details").click()
    expect(card.locator(".advice-card__details")).to_have_attribute("open", "")
    name = "wide" if viewport is LAPTOP else "phone"
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"advice-{name}.png"))

    # Adopt: the trainee's own seat makes the suggested move and the floor passes.
    adopt = page.get_by_role("button", name="Adopt this move")
    assert table.act(adopt), "adopting the suggestion did nothing"
    mine = page.locator("#timeline li.tl--public", has_text="Minister of Industry and Trade")
    expect(mine.first).to_be_visible()  # the adopted move is the trainee's own, at the table

    # Delegate: the bots play the rest of this round.
    delegate = page.get_by_role("button", name="Let my team play this round")
    assert table.act(delegate), "delegating did nothing"
    expect(page.get_by_role("button", name="Take the floor back")).to_be_visible()
    expect(page.locator("#advice")).to_contain_text("play the table for the rest of this round")
    table.settle(quiet=1.0, limit=15)
    timeline = page.locator("#timeline").inner_text()
    assert "let the team's bots play this round" in timeline
    page.screenshot(path=str(screenshots / f"advice-delegated-{name}.png"))
