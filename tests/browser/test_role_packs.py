"""Printable role packs: from the console, one A4 sheet per role with its brief, its team's points sheet
and BATNA, its red lines and the cards it signs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import facilitator

PHONE = {"width": 390, "height": 844}
A4 = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 dpi


def _workshop(page, name: str) -> None:
    facilitator(page)
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill(f"Packs {name}")
    form.get_by_label("Tables").fill("1")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name=f"Packs {name}")).to_be_visible()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_console_opens_a_role_pack_per_role_that_prints_one_per_a4_sheet(new_page, screenshots, viewport):
    name = "phone" if viewport is PHONE else "laptop"
    page = new_page(viewport)
    _workshop(page, name)
    page.get_by_role("link", name="Print role packs").click()
    packs = page.locator("article.pack")
    expect(packs).to_have_count(11)
    ustr = page.locator("#pack-us_ustr")
    expect(ustr.get_by_role("heading", level=2)).to_have_text("US Trade Representative")
    expect(ustr).to_contain_text("Minister level")
    expect(ustr).to_contain_text("No deal (BATNA): 30 points")
    expect(ustr.locator(".pack__sheet tbody tr")).to_have_count(7)
    expect(ustr).to_contain_text("IP enforcement is one of the US concerns")  # a red line's reason
    expect(ustr).to_contain_text("USTR revised draft text")
    expect(ustr).to_contain_text("Can be prepared from round 5 (19 June 2025)")
    expect(page.locator("#pack-us_trade_adviser")).to_contain_text("None: your power is your voice")
    page.screenshot(path=str(screenshots / f"role-packs-{name}.png"))

    # The Print button opens the browser's print dialog (stubbed here: a test cannot close it).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("() => window.printed") == 1

    if viewport is LAPTOP:
        # Print preview on A4: the screen's controls are gone, one role per sheet.
        page.set_viewport_size(A4)
        page.emulate_media(media="print")
        expect(page.get_by_role("button", name="Print")).to_be_hidden()
        page.locator("#pack-vn_trade").scroll_into_view_if_needed()
        page.locator("#pack-vn_trade").screenshot(path=str(screenshots / "role-pack-print-a4.png"))
        pdf = page.pdf(format="A4", print_background=True)
        sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert sheets == 11, sheets
