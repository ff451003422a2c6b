"""A table with a long log: the page loads one page of it, keeps its place across a reload
(sessionStorage), and loads earlier events when the trainee clicks "Show earlier events"."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, ROOT
from tests.browser.pages import Table

PHONE = {"width": 390, "height": 844}

# Run in the test server's database: the trainee's team chats 150 times while the page is away.
CHATTER = r"""
import sys, django
django.setup()
from game.models import Seat
from game.services import match_submit_move
match_id = int(sys.argv[1])
seat = Seat.objects.get(match_id=match_id, kind="human").role_id
match_submit_move(match_id=match_id, seat=seat, move={"kind": "advance"})  # briefing -> caucus
for n in range(150):
    match_submit_move(match_id=match_id, seat=seat, move={"kind": "team_chat", "text": f"note {n:03d}: " + "we hold at twenty percent and ask for practical origin rules. " * 3})
"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_long_log_loads_a_page_at_a_time_and_survives_a_reload(new_page, server_env, screenshots, viewport):
    page = new_page(viewport)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto("/practice/")
    page.get_by_role("button", name="Start").click()
    table = Table(page)
    table.wait_live()
    match_id = page.evaluate("() => JSON.parse(document.getElementById('table-config').textContent).match")
    held = int(table.state()["version"])
    assert held > 0
    assert page.evaluate(f"() => sessionStorage.getItem('ng.last_seq.{match_id}')") == str(held)

    subprocess.run([sys.executable, "-c", CHATTER, str(match_id)], cwd=ROOT, env=server_env, check=True, capture_output=True, timeout=60)
    page.reload()
    table.wait_live()
    # The reload reconnected from where the page was, and got the latest page of what came since.
    assert f"last_seq={held}" in sockets[-1]
    chat = page.locator("#chat-list")
    expect(chat).to_contain_text("note 149")
    expect(chat).not_to_contain_text("note 000")
    older = page.get_by_role("button", name="Show earlier events")
    expect(older).to_be_visible()
    older.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"long-log-{'phone' if viewport is PHONE else 'laptop'}.png"))
    older.click()
    expect(chat).to_contain_text("note 000")
    expect(older).to_be_hidden()


WORKSHOP_CHATTER = r"""
import sys, django
django.setup()
from game.engine import FACILITATOR
from game.models import Seat
from game.services import match_submit_move
seat = Seat.objects.filter(kind="human", display_name="Alice").order_by("-id").first()
for kind in ("start", "advance"):
    match_submit_move(match_id=seat.match_id, seat=FACILITATOR, move={"kind": kind})
for n in range(150):
    match_submit_move(match_id=seat.match_id, seat=seat.role_id, move={"kind": "team_chat", "text": f"note {n:03d}: hold the line."})
"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_facilitator_observing_a_long_table_pages_back_through_it(new_page, server_env, screenshots, viewport):
    from tests.browser.test_cover import _console_with_a_trainee  # noqa: PLC0415

    fac, _ = _console_with_a_trainee(new_page, viewport)
    subprocess.run([sys.executable, "-c", WORKSHOP_CHATTER], cwd=ROOT, env=server_env, check=True, capture_output=True, timeout=60)
    observer = fac.context.new_page()
    observer.goto(fac.url.rstrip("/") + "/table/1/")
    expect(observer.locator("#sb-conn")).to_have_text("Live")
    observer.locator("#timeline-all").check()
    timeline = observer.locator("#timeline")
    expect(timeline).to_contain_text("note 149")
    expect(timeline).not_to_contain_text("note 000")
    older = observer.get_by_role("button", name="Show earlier events")
    older.click()
    expect(timeline).to_contain_text("note 000")
    expect(older).to_be_hidden()
    observer.screenshot(path=str(screenshots / f"long-log-observer-{'phone' if viewport is PHONE else 'laptop'}.png"))
