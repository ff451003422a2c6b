"""The facilitator frees a seat, moves a trainee and raises the per-network cap from the console, with
the real controls, on a laptop and on a phone; no page breaks its Content Security Policy."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP
from tests.browser.pages import Table, facilitator, sign_up

PHONE = {"width": 390, "height": 844}


def _csp_watch(page) -> list[str]:
    """Collect every Content Security Policy violation the page reports."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def _facilitator_with_workshop(page, name: str | None = None) -> str:
    """A two-table workshop created through the form: by a new facilitator `name` signed up through the
    form, or by the shared facilitator of the page's size."""
    if name is None:
        facilitator(page)
    else:
        sign_up(page, name)
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill("Seat drill")
    form.get_by_label("Tables").fill("2")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name="Seat drill")).to_be_visible()
    return page.locator("#join-code").inner_text().strip()


def _finished_workshop(page, name: str | None = None) -> str:
    """A workshop of two tables, started and ended from the console, by a new facilitator signed up as
    `name` (plus a random suffix) or by the shared facilitator of the page's size; its code."""
    code = _facilitator_with_workshop(page, name and f"{name}{secrets.token_hex(3)}")
    page.on("dialog", lambda d: d.accept())
    expect(page.locator(".tcard[data-status='lobby']")).to_have_count(2, timeout=15_000)  # the console is live
    page.get_by_role("button", name="Start all").click()
    expect(page.locator(".tcard[data-status='running']")).to_have_count(2, timeout=15_000)
    page.get_by_role("button", name="End all").click()
    expect(page.locator(".tcard[data-status='finished']")).to_have_count(2, timeout=15_000)
    return code


def _join(page, code: str, name: str, seat: str) -> Table:
    page.goto(f"/join/{code}/")
    page.get_by_label("Your name").fill(name)
    page.locator(f"input[name=seat][value='{seat}']").check()
    page.get_by_role("button", name="Take my seat").click()
    table = Table(page)
    table.wait_live()
    return table


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_facilitator_moves_and_frees_a_trainees_seat_from_the_console(new_page, screenshots, viewport):
    fac = new_page(viewport)
    fac_csp = _csp_watch(fac)
    code = _facilitator_with_workshop(fac)
    alice_page = new_page(viewport)
    alice_csp = _csp_watch(alice_page)
    _join(alice_page, code, "Alice", "1:us_commerce")
    assert "token" not in alice_page.evaluate("() => document.getElementById('table-config').textContent")

    # The console lists Alice; move her to table 2's USTR seat with her row's controls.
    fac.reload()
    row = fac.locator("#seats tr", has_text="Alice")
    expect(row).to_contain_text("Table 1")
    row.get_by_label("Move Alice to").select_option("2:us_ustr")
    row.get_by_role("button", name="Move").click()
    expect(fac.locator("[data-seat-notice]")).to_contain_text("The trainee was moved")
    expect(fac.locator("#seats tr", has_text="Alice")).to_contain_text("Table 2")
    # Her table page learns at once that her seat changed; the join page sends her to the new one.
    expect(alice_page.locator("#sb-conn")).to_have_text(re.compile("Seat moved|Disconnected"))
    alice_page.goto(f"/join/{code}/")
    alice_page.get_by_role("link", name="Go back to your table").click()
    moved = Table(alice_page)
    moved.wait_live()
    expect(alice_page.locator("body")).to_contain_text("Table 2")
    table_url = alice_page.url
    fac.screenshot(path=str(screenshots / f"console-seats-{viewport['width']}.png"), full_page=True)

    # Free her seat: her socket is closed and the table page no longer opens for her browser.
    fac.locator("#seats tr", has_text="Alice").get_by_role("button", name="Free the seat").click()
    expect(fac.locator("[data-seat-notice]")).to_contain_text("The seat is free")
    expect(fac.locator("#seats tr", has_text="Alice")).to_have_count(0)
    expect(alice_page.locator("#sb-conn")).to_have_text(re.compile("Seat moved|Disconnected"))
    response = alice_page.goto(table_url)
    assert response.status == 403
    expect(alice_page.get_by_role("heading", name="This browser holds no seat at that table")).to_be_visible()
    assert code not in alice_page.content()  # the refusal never reveals the workshop's code

    # Raise the per-network cap for a room on one Wi-Fi.
    fac.get_by_label("Seats one network may hold").fill("40")
    fac.get_by_role("button", name="Save").click()
    expect(fac.locator("[data-seat-notice]")).to_contain_text("the new limit applies")
    expect(fac.get_by_label("Seats one network may hold")).to_have_value("40")
    assert fac_csp == [] and alice_csp == [], fac_csp + alice_csp


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_wrong_passwords_lock_sign_in_with_a_message_that_says_for_how_long(new_page, screenshots, viewport):
    page = new_page(viewport)
    csp = _csp_watch(page)
    name = f"nobody{secrets.token_hex(3)}"
    page.goto("/facilitator/login/")
    for _ in range(5):
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-locked]")).to_contain_text("Sign-in is locked for 15 minutes")
    page.screenshot(path=str(screenshots / f"login-locked-{viewport['width']}.png"), full_page=True)
    assert csp == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_one_browser_cannot_take_a_second_seat_even_without_its_seat_cookie(new_page, screenshots, viewport):
    fac = new_page(viewport)
    code = _facilitator_with_workshop(fac)
    page = new_page(viewport)
    _join(page, code, "Lan", "1:vn_trade")
    page.context.clear_cookies(name=re.compile(r"^ng_m\d+$"))
    page.goto(f"/join/{code}/")
    page.get_by_label("Your name").fill("Lan again")
    page.locator("input[name=seat][value='1:us_commerce']").check()
    page.get_by_role("button", name="Take my seat").click()
    expect(page.get_by_role("alert")).to_contain_text("This browser already holds a seat in this workshop (table 1)")
    page.screenshot(path=str(screenshots / f"join-refused-{viewport['width']}.png"), full_page=True)
