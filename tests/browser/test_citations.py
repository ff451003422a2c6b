"""A trainee reads where the briefing's facts come from: a seed quote opens the seed with the passage
highlighted; a reference names its outlet and date and links to the report, with the fact in our words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Table

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}


def shoot(page, element, path) -> None:
    """The viewport with `element` scrolled into it (the columns scroll on their own on a laptop)."""
    element.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_briefing_shows_seed_quotes_and_references_with_outlet_date_and_link(new_page, screenshots, viewport):
    page = new_page(viewport)
    page.goto("/practice/")
    # The White House trade adviser's brief cites a seed and a report; choose that role through the form.
    page.locator("label.team-card", has_text="United States").click()
    page.locator("label.option", has_text="White House senior trade adviser").click()
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    expect(page.locator("#round-title")).to_have_text("Aligning the house")

    sources = page.locator("#round-sources")
    seed = sources.locator(".cite-item--seed_quote").first
    expect(seed.locator("a")).to_have_attribute("href", re.compile(r"^/seeds/redbear_alignment/\?q=.+&where=para%2015#quote$"))
    expect(seed).to_contain_text("(para 15)")
    expect(seed.locator("q")).to_contain_text("circle back")
    report = sources.locator(".cite-item--reference", has_text="Vietnam Briefing")
    expect(report).to_contain_text("(31 Mar 2025)")
    expect(report).to_contain_text("Decree 73/2025/ND-CP")
    expect(report.locator("a")).to_have_attribute("href", re.compile(r"^https://www\.vietnam-briefing\.com/"))
    expect(report.locator("a")).to_have_attribute("target", "_blank")

    role = page.locator("#role-brief")
    expect(role.locator(".cite-item--reference", has_text="Fortune")).to_contain_text("(7 Apr 2025)")
    expect(role.locator(".cite-item--seed_quote")).to_contain_text("essentially a colony of communist China")
    expect(role.locator(".red-lines a.cite", has_text="Fortune, 7 Apr 2025").first).to_have_attribute("href", re.compile(r"^https://fortune\.com/"))

    name = "phone" if viewport is PHONE else "laptop"
    shoot(page, report, screenshots / f"citations-round-{name}.png")
    shoot(page, role.locator(".sources"), screenshots / f"citations-role-{name}.png")

    # A seed quote opens the seed page with the cited passage highlighted.
    with page.context.expect_page() as opened:
        seed.locator("a").click()
    seed_page = opened.value
    expect(seed_page.locator("mark#quote")).to_contain_text("circle back")
    seed_page.close()

    # The next round's card is drawn by the page's script: it shows both kinds the same way.
    table.wait_live()
    while table.state()["round"] != "1":
        assert table.advance(), f"could not advance: {table.state()}"
    expect(page.locator("#round-title")).to_have_text("Shock and opening")
    zero_offer = sources.locator(".cite-item--reference", has_text="Viet Nam News").first
    expect(zero_offer).to_contain_text("(4 Apr 2025)")
    expect(zero_offer.locator("a")).to_have_attribute("href", re.compile(r"^https://vietnamnews\.vn/"))
    expect(sources.locator(".cite-item--seed_quote a").first).to_have_attribute("href", re.compile(r"^/seeds/hanoitimes_talks/"))
    # So does a news item: its source is the report that states it.
    news = page.locator("#injects .inject", has_text="46%")
    expect(news.locator("a.cite")).to_have_text("Source: 8PM News, Apr 2025")
    expect(news.locator("a.cite")).to_have_attribute("href", re.compile(r"^https://8pmnews\.com/"))
    shoot(page, zero_offer, screenshots / f"citations-round1-{name}.png")
