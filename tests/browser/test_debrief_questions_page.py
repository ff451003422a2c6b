"""The workshop debrief's questions, opened from the console as a facilitator would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import facilitator

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_console_opens_the_debrief_with_the_cases_questions_by_round(new_page, screenshots, viewport):
    name = "phone" if viewport is PHONE else "laptop"
    page = new_page(viewport)
    facilitator(page)
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill(f"Debrief {name}")
    form.get_by_label("Tables").fill("1")
    form.get_by_role("button", name="Create workshop").click()
    page.get_by_role("link", name="Open the debrief").click()
    questions = page.locator("#debrief-questions")
    expect(questions.get_by_role("heading", name="The whole game")).to_be_visible()
    expect(questions.get_by_role("heading", name="Round 0: Aligning the house 26 March – 1 April 2025")).to_be_visible()
    expect(questions).to_contain_text("was a concession made before anyone asked worth making")
    expect(questions).to_contain_text("what counts as transshipment, and who decides?")
    questions.scroll_into_view_if_needed()
    questions.screenshot(path=str(screenshots / f"debrief-questions-{name}.png"))
