"""Creating a workshop: the facilitator chooses the case (the full one or its short format) and a
session length that sets every phase timer, with the form's real controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import facilitator

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_facilitator_chooses_the_short_case_and_a_one_hour_session(new_page, screenshots, viewport):
    name = "phone" if viewport is PHONE else "laptop"
    page = new_page(viewport)
    facilitator(page)
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill(f"One hour {name}")
    form.get_by_label("Tables").fill("1")
    case = form.get_by_label("Case")
    expect(case.locator("option")).to_have_count(2)
    case.select_option("us_vietnam_2025_short")
    form.get_by_label("Session length").select_option("60")
    form.get_by_label("Session length").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"workshop-setup-{name}.png"))
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name=f"One hour {name}")).to_be_visible()
    # Trainees joining see the short case's seats: four a team, no Treasury Secretary.
    code = page.locator("#join-code").inner_text().strip()
    page.goto(f"/join/{code}/")
    expect(page.locator("input[name=seat][value^='1:']")).to_have_count(8)
    expect(page.locator("body")).not_to_contain_text("Treasury Secretary")
