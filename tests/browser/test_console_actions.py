"""The console's one-seat and one-table actions through the real page: a trainee's last activity, a
private nudge only that trainee sees, and "Advance the slowest table"; on a laptop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.test_console_seats import PHONE, _csp_watch, _facilitator_with_workshop, _join
from tests.browser.test_play_on import _refused_posts


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_nudge_last_activity_and_advance_the_slowest_table(new_page, screenshots, viewport):
    fac = new_page(viewport)
    csp, refused = _csp_watch(fac), _refused_posts(fac)
    code = _facilitator_with_workshop(fac)
    alice = new_page(viewport)
    _join(alice, code, "Alice", "1:us_commerce")
    bob = new_page(viewport)
    _join(bob, code, "Bob", "1:vn_trade")

    fac.reload()
    row = fac.locator("#seats tr", has_text="Alice")
    expect(row.locator("[data-activity]")).to_have_text("Online now")
    row.get_by_label("Private nudge to Alice").fill("Draft your mandate before the table opens")
    row.get_by_role("button", name="Send nudge").click()
    expect(fac.locator("#toast")).to_contain_text("Nudge sent")
    expect(alice.locator("#toast")).to_contain_text("From your facilitator: Draft your mandate before the table opens")
    expect(bob.locator("#toast")).not_to_contain_text("Draft your mandate")
    alice.screenshot(path=str(screenshots / f"table-nudge-{viewport['width']}.png"), full_page=False)

    expect(fac.locator(".tcard[data-status='lobby']")).to_have_count(2, timeout=15_000)  # the console is live
    fac.get_by_role("button", name="Start all").click()
    expect(fac.locator(".tcard[data-status='running']")).to_have_count(2, timeout=15_000)
    slowest = fac.get_by_role("button", name="Advance the slowest table")
    slowest.click()  # both tables level: the first goes
    expect(fac.locator("#toast")).to_contain_text("Advanced Table 1.")
    expect(fac.locator(".tcard[data-phase='caucus']")).to_have_count(1)
    slowest.click()  # now table 2 is behind
    expect(fac.locator("#toast")).to_contain_text("Advanced Table 2.")
    expect(fac.locator(".tcard[data-phase='caucus']")).to_have_count(2)
    fac.locator("#seats").scroll_into_view_if_needed()
    fac.screenshot(path=str(screenshots / f"console-actions-{viewport['width']}.png"), full_page=True)
    fac.locator("#seats").screenshot(path=str(screenshots / f"console-seat-actions-{viewport['width']}.png"))
    assert refused == [] and csp == [], refused + csp
