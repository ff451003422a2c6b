"""A room on a laptop: `python -m negotiation_game.room` (what `make room` runs) serves the workshop on
a local-network address -- here a second loopback address, 127.0.0.2, standing in for the laptop's
Wi-Fi address -- with DEBUG off. The facilitator projects the join link and its QR code; a trainee's
phone opens that link, takes a seat and plays; the phone's Wi-Fi drops and comes back without losing
the seat; addresses and origins outside the room are refused and named in the server's log."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import segno
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, _free_port, page_factory, wait_healthy
from tests.browser.pages import Table
from tests.browser.test_workshop import _create_workshop, _facilitator_clicks, _facilitator_signs_up

PHONE = {"width": 390, "height": 844}
ROOM_ADDRESS = "127.0.0.2"  # Linux routes all of 127.0.0.0/8 to the loopback interface


class RoomServer:
    """`python -m negotiation_game.room --address 127.0.0.2` over its own database and key file; it can be
    stopped and started again on the same address, port, database and key (the laptop restarted)."""

    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.lan, self.local = f"http://{ROOM_ADDRESS}:{self.port}", f"http://127.0.0.1:{self.port}"
        self.log = tmp / "room.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
        env.update(SQLITE_PATH=str(tmp / "db.sqlite3"), DJANGO_SECRET_KEY_FILE=str(tmp / "secret_key"), PYTHONUNBUFFERED="1",
                   LOG_LEVEL="WARNING")
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "negotiation_game.room", "--address", ROOM_ADDRESS, "--port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        wait_healthy(self.lan, self.proc, self.log)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def room(tmp_path_factory, browser):
    server = RoomServer(tmp_path_factory.mktemp("room"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pages(browser):
    with page_factory(browser) as make:
        yield make


def _qr_path(svg: str) -> str:
    return re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)


def test_the_room_command_printed_the_join_address(room):
    text = room.log.read_text()
    assert f"http://{ROOM_ADDRESS}:{room.port}/join/" in text
    assert f"http://127.0.0.1:{room.port}/facilitator/" in text


def test_a_phone_joins_through_the_lan_address_from_the_qr_link_and_keeps_its_seat_through_a_wifi_drop(room, pages, screenshots):
    # The facilitator runs the console on the laptop itself.
    fac = pages(base_url=room.local)
    _facilitator_signs_up(fac)
    code = _create_workshop(fac)
    join_link = f"{room.lan}/join/{code}/"
    expect(fac.locator("#join-at")).to_have_text(f"{ROOM_ADDRESS}:{room.port}/join")
    expect(fac.locator("#join-url")).to_have_attribute("href", join_link)
    # The QR code on the console is the join link, made on the server (no request leaves the laptop).
    assert _qr_path(fac.locator("#join-qr").inner_html()) == _qr_path(segno.make(join_link, error="m").svg_inline())

    # The projector view: the address, the QR code and the code, full screen.
    fac.get_by_role("button", name="Show full screen for the projector").click()
    projector = fac.get_by_role("dialog", name="Join code, full screen")
    expect(projector).to_be_visible()
    expect(projector).to_contain_text(f"{ROOM_ADDRESS}:{room.port}/join")
    expect(projector).to_contain_text(code)
    expect(projector.locator(".projector__qr svg")).to_be_visible()
    box = projector.locator(".projector__qr svg").bounding_box()
    assert box["width"] >= 300  # readable from the back of the room
    fac.screenshot(path=str(screenshots / "room-projector.png"))
    projector.get_by_role("button", name="Close (Esc)").click()
    expect(projector).to_be_hidden()

    # A trainee's phone scans the code: the link opens the workshop's join page, code already in it.
    phone = pages(viewport=PHONE)
    phone.goto(join_link)
    expect(phone.get_by_role("heading", name="Hanoi cohort")).to_be_visible()
    phone.get_by_label("Your name").fill("Linh")
    phone.locator("input[name=seat][value='1:vn_trade']").check()
    phone.get_by_role("button", name="Take my seat").click()
    table = Table(phone)
    table.wait_live()
    assert phone.url.startswith(room.lan)
    person = fac.locator(".tcard .person", has_text="Linh")
    expect(person).to_have_class(re.compile("person--online"))

    # The facilitator starts the table; the phone plays a move in its caucus.
    _facilitator_clicks(fac, "Start")
    table.wait_phase("briefing", 0)
    _facilitator_clicks(fac, "Advance")
    table.wait_phase("caucus", 0)
    phone.get_by_label("Message to your team").fill("Hold the line on transshipment.")
    assert table.act(phone.get_by_role("button", name="Send"))
    expect(phone.locator("#chat-list")).to_contain_text("Hold the line on transshipment.")
    assert table.act(phone.get_by_role("button", name="Save draft mandate"))
    expect(phone.locator("#mandate-status")).to_contain_text("v1")

    # The phone's Wi-Fi drops: its connection is gone and it cannot reach the laptop. (On a real network
    # the server notices a silent phone by daphne's websocket ping timeout; here the socket is ended.)
    sockets, sent = [], []
    phone.on("websocket", lambda ws: (sockets.append(ws.url), ws.on("framesent", lambda frame: sent.append(frame))))
    phone.context.set_offline(True)
    phone.evaluate("() => window.__tableSocket.ws.close()")
    expect(phone.locator("#sb-conn")).not_to_have_text("Live")
    expect(person).to_have_class(re.compile("person--offline"))
    _facilitator_clicks(fac, "Advance")
    expect(fac.locator(".tcard")).to_contain_text("Round review")
    fac.screenshot(path=str(screenshots / "room-console.png"), full_page=True)

    # The Wi-Fi comes back: the phone reconnects by itself with its seat cookie and catches up.
    phone.context.set_offline(False)
    expect(phone.locator("#sb-conn")).to_have_text("Live", timeout=20_000)
    table.wait_phase("review", 0)
    expect(person).to_have_class(re.compile("person--online"))
    assert sockets and all("last_seq=" in url for url in sockets)  # it asked only for what it missed
    expect(phone.locator("#mandate-status")).to_contain_text("v1")
    expect(phone.locator("#chat-list")).to_contain_text("Hold the line on transshipment.")
    assert phone.url.startswith(room.lan)  # the same seat, not a new join
    phone.screenshot(path=str(screenshots / "room-phone.png"))

    # The laptop sleeps for a moment while a trainee sends a message: it is applied once, on waking.
    os.kill(room.proc.pid, signal.SIGSTOP)
    try:
        phone.get_by_label("Message to your team").fill("Sent while the laptop slept.")
        phone.get_by_role("button", name="Send").click()
        # The phone has sent it (into the sleeping laptop's socket buffer) before the laptop wakes.
        deadline = time.monotonic() + 10
        while not any("Sent while the laptop slept." in str(frame) for frame in sent):
            assert time.monotonic() < deadline, "the phone never sent the message"
            phone.wait_for_timeout(50)
    finally:
        os.kill(room.proc.pid, signal.SIGCONT)
    expect(phone.locator("#chat-list")).to_contain_text("Sent while the laptop slept.")
    expect(phone.locator("#chat-list li", has_text="Sent while the laptop slept.")).to_have_count(1)

    # The server restarts (the trainer ran `make room` again): the phone and the console reconnect by
    # themselves -- same seat, same facilitator session (the install's key did not change).
    room.stop()
    expect(phone.locator("#sb-conn")).not_to_have_text("Live")
    room.start()
    # The page retries with a growing pause (at most about 8 s): it is back within one pause.
    expect(phone.locator("#sb-conn")).to_have_text("Live", timeout=20_000)
    expect(fac.locator("#conn")).to_have_text("Live", timeout=30_000)
    expect(person).to_have_class(re.compile("person--online"))
    expect(phone.locator("#chat-list")).to_contain_text("Sent while the laptop slept.")
    _facilitator_clicks(fac, "Advance")
    table.wait_phase("briefing", 1)

    # The console and its projector view on a phone-sized screen (a trainer walking the room).
    fac.set_viewport_size(PHONE)
    fac.get_by_role("button", name="Show full screen for the projector").click()
    expect(projector.locator(".projector__qr svg")).to_be_visible()
    expect(projector).to_contain_text(code)
    fac.screenshot(path=str(screenshots / "room-projector-phone.png"))
    projector.get_by_role("button", name="Close (Esc)").click()
    expect(fac.locator("#join-qr svg")).to_be_visible()
    fac.screenshot(path=str(screenshots / "room-console-phone.png"), full_page=True)


def test_an_address_outside_the_room_gets_400_and_a_foreign_origin_a_refused_socket_both_named_in_the_log(room):
    request = urllib.request.Request(room.lan + "/", headers={"Host": "intruder.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400

    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect  # sync: this thread's event loop belongs to Playwright

    other_port = f"http://{ROOM_ADDRESS}:{room.port + 1}"  # the room's address, another port
    with pytest.raises(InvalidStatus) as socket_refused:
        connect(f"ws://{ROOM_ADDRESS}:{room.port}/ws/match/no-such-table/", origin=other_port, open_timeout=10)
    assert socket_refused.value.response.status_code == 403
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        text = room.log.read_text()
        if "intruder.example" in text and other_port in text:
            break
        time.sleep(0.1)
    assert "Refused an HTTP request: Invalid HTTP_HOST header: 'intruder.example'" in text
    assert "Traceback" not in text  # one line per refusal, not a crash report
    assert f"Refused a websocket to /ws/match/no-such-table/ from origin '{other_port}'" in text
