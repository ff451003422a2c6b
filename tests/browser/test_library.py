"""The facilitator's replay library across workshops, its filters, the `?` shortcut dialog and the
people and per-event exports, clicked through the real pages on a laptop and on a phone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.test_console_seats import PHONE, _csp_watch, _finished_workshop
from tests.browser.test_play_on import _refused_posts


def _no_horizontal_overflow(page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
        ).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"the page scrolls sideways: {wide}"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_library_filters_shortcut_help_and_exports(new_page, screenshots, viewport):
    fac = new_page(viewport)
    csp, refused = _csp_watch(fac), _refused_posts(fac)
    code = _finished_workshop(fac, "library")

    fac.goto("/replays/")
    fac.get_by_role("link", name="Every table of your workshops, with filters").click()
    expect(fac.locator("[data-lib-row]")).to_have_count(2)
    filters = fac.locator("[data-lib-filters]")
    filters.get_by_label("Table").fill("2")
    filters.get_by_label("Outcome").select_option("no_deal")
    filters.get_by_role("button", name="Show tables").click()
    expect(fac.locator("[data-lib-row]")).to_have_count(1)
    expect(fac.locator(f"[data-lib-row='{code}:2']")).to_be_visible()
    _no_horizontal_overflow(fac)
    fac.screenshot(path=str(screenshots / f"library-facilitator-{viewport['width']}.png"), full_page=True)
    filters = fac.locator("[data-lib-filters]")
    filters.get_by_label("Table").fill("two")
    filters.get_by_role("button", name="Show tables").click()
    expect(fac.get_by_role("alert")).to_contain_text("Table: a table number, like 3.")
    fac.locator(f"[data-lib-row='{code}:2']").get_by_role("link", name="Replay").click()
    fac.wait_for_selector("body[data-replay-ready='1']")

    # `?` opens the shortcut list as a modal dialog; Esc closes it; so does its button.
    fac.locator("body").click(position={"x": 5, "y": 5})
    fac.keyboard.press("?")
    dialog = fac.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Play or pause")
    fac.screenshot(path=str(screenshots / f"replay-shortcuts-{viewport['width']}.png"), full_page=False)
    fac.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    fac.get_by_role("button", name="Keyboard shortcuts (?)").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # The workshop debrief's exports: one row per person, one row per event of every table.
    fac.goto(f"/facilitator/w/{code}/debrief/")
    with fac.expect_download() as people:
        fac.get_by_role("link", name="People CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(people.value.path()).read_text())))
    assert {r["table"] for r in rows} == {"1", "2"} and all(r["ended_by"] == "The facilitator" for r in rows)
    with fac.expect_download() as events:
        fac.get_by_role("link", name="Every event CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(events.value.path()).read_text())))
    assert {r["table"] for r in rows} == {"1", "2"} and rows[-1]["type"] == "game_ended"
    assert refused == [] and csp == [], refused + csp
