"""The facilitator hands a trainee's seat to a bot from the console and takes it back, by clicking
the seat's control; the trainee's page and the console say a bot is playing, at laptop and phone size."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import Table, facilitator

PHONE = {"width": 390, "height": 844}


def _console_with_a_trainee(new_page, viewport):
    fac = new_page(viewport)
    facilitator(fac)
    form = fac.locator("#create-workshop")
    form.get_by_label("Title").fill("Cover drill")
    form.get_by_label("Tables").fill("1")
    grace = form.get_by_label("A bot covers a dropped-out trainee after (seconds)")
    expect(grace).to_have_value("90")
    grace.fill("60")
    form.get_by_role("button", name="Create workshop").click()
    expect(fac.get_by_role("heading", name="Cover drill")).to_be_visible()
    code = fac.locator("#join-code").inner_text().strip()
    trainee = new_page(viewport)
    trainee.goto(f"/join/{code}/")
    trainee.get_by_label("Your name").fill("Alice")
    trainee.locator("input[name=seat][value='1:us_commerce']").check()
    trainee.get_by_role("button", name="Take my seat").click()
    Table(trainee).wait_live()
    return fac, trainee


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_facilitator_hands_a_seat_to_a_bot_and_takes_it_back(new_page, screenshots, viewport):
    fac, trainee = _console_with_a_trainee(new_page, viewport)
    alice = fac.locator(".tcard .person[data-role='us_commerce']")
    expect(alice).to_contain_text("online")
    alice.get_by_role("button", name="Hand to a bot: Alice").click()
    expect(alice).to_contain_text("a bot is playing")
    expect(trainee.locator("#people")).to_contain_text("a bot is playing for you")
    expect(trainee.locator("#banner")).to_contain_text("A bot is playing your seat for now.")
    name = "phone" if viewport is PHONE else "laptop"
    fac.screenshot(path=str(screenshots / f"cover-console-{name}.png"), full_page=True)
    trainee.screenshot(path=str(screenshots / f"cover-trainee-{name}.png"), full_page=True)
    alice.get_by_role("button", name="Take back from the bot: Alice").click()
    expect(alice).not_to_contain_text("a bot is playing")
    expect(trainee.locator("#people")).not_to_contain_text("a bot is playing")
    expect(trainee.locator("#banner")).to_contain_text("Waiting for the facilitator to start")
