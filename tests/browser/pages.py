"""What a trainee sees on the table page, read from the page itself (the DOM), and how they act on it."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

SECRET = "SECRET-US-PLAN hold twenty percent"


class Table:
    def __init__(self, page: Page):
        self.page = page
        self.bar = page.locator("#statusbar")

    # --- reading ---------------------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        return self.page.evaluate(
            "() => { const d = document.getElementById('statusbar').dataset;"
            " return {status: d.status, phase: d.phase, round: d.round, version: d.version, floor: d.floor || '', team: d.team}; }"
        )

    def wait_live(self) -> None:
        expect(self.page.locator("#sb-conn")).to_have_text("Live")

    def wait_phase(self, phase: str, round_no: int | None = None, timeout: float = 15_000) -> None:
        expect(self.bar).to_have_attribute("data-phase", phase, timeout=timeout)
        if round_no is not None:
            expect(self.bar).to_have_attribute("data-round", str(round_no), timeout=timeout)

    @staticmethod
    def available(control: Locator) -> bool:
        return control.count() > 0 and control.first.is_visible() and control.first.get_attribute("aria-disabled") != "true"

    def offer_of(self, team: str) -> str | None:
        offer = self.page.locator(f"#offers .offer[data-team='{team}']")
        return offer.get_attribute("data-offer") if offer.count() else None

    # --- acting ----------------------------------------------------------------------------------
    def act(self, control: Locator, timeout: float = 8_000) -> bool:
        """Click a control and wait until the table's version moves on (the server applied the move)."""
        before = self.state()["version"]
        control.click()
        try:
            self.page.wait_for_function(
                "v => document.getElementById('statusbar').dataset.version !== v", arg=before, timeout=timeout
            )
            return True
        except Exception:
            return False

    def advance(self) -> bool:
        return self.act(self.page.locator("#advance"))

    def settle(self, quiet: float = 0.6, limit: float = 6.0) -> None:
        """Wait until nothing has changed for `quiet` seconds (the bots have finished reacting)."""
        end = time.monotonic() + limit
        last, since = self.state()["version"], time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.1)
            now = self.state()["version"]
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return


def sign_up(page: Page, username: str) -> None:
    """Create a facilitator account through the sign-up form; the page lands on the facilitator's home."""
    page.goto("/facilitator/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("Negotiate-2025!")
    page.get_by_label("Password confirmation").fill("Negotiate-2025!")
    page.get_by_role("button", name="Create account").click()


# The session cookies of the package's shared facilitators, by server and viewport width.
_facilitators: dict[tuple[str, int], list] = {}


def facilitator(page: Page) -> None:
    """Sign this page's browser in as the shared facilitator of its size and open their home. The first
    call for a server and a width posts the sign-up form at that size; later calls reuse that account's
    session (a test that counts a facilitator's workshops signs up its own with `sign_up`)."""
    page.goto("/facilitator/signup/")
    key = (urlsplit(page.url).netloc, page.viewport_size["width"])
    if key not in _facilitators:
        page.get_by_label("Username").fill(f"shared_{key[1]}_{key[0].rsplit(':', 1)[-1]}")
        page.get_by_label("Password", exact=True).fill("Negotiate-2025!")
        page.get_by_label("Password confirmation").fill("Negotiate-2025!")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()
        _facilitators[key] = page.context.cookies()
        return
    page.context.add_cookies(_facilitators[key])
    page.goto("/facilitator/")
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()


def start_practice(page: Page, team: str | None = None, role: str | None = None) -> Table:
    """Start a practice game through the set-up form (its defaults, or the team card and role named) and
    wait until the table is live."""
    page.goto("/practice/")
    if team:
        page.locator("label.team-card", has_text=team).click()
    if role:
        page.locator("label.option", has_text=role).click()
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    table.wait_live()
    return table


def create_workshop(page: Page, title: str, tables: int = 1) -> str:
    """Create a workshop from the facilitator's home (no phase timers: the test paces it); its join code."""
    form = page.locator("#create-workshop")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Tables").fill(str(tables))
    for phase in ("Caucus", "Table"):
        form.get_by_label(phase, exact=True).fill("")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.locator("#join-code").inner_text().strip()
