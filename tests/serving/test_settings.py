"""How the server is configured when nobody sets anything: DEBUG off, the install's own secret key,
websockets only from the server's own exact origins, and a refused address named in the log."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from negotiation_game.asgi import application

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'origins': s.ALLOWED_ORIGINS, 'hosts': s.ALLOWED_HOSTS}))"
)


def _start(**env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with only `env` set among the DJANGO_ variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "negotiation_game.settings", **env},
    )


def _settings(**env: str) -> dict:
    run = _start(**env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_each_install_generates_its_own_secret_key_once_and_keeps_it(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    a = _settings(DJANGO_SECRET_KEY_FILE=str(first))["key"]
    assert len(a) >= 50 and first.read_text().strip() == a
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # readable by the install's owner only
    assert _settings(DJANGO_SECRET_KEY_FILE=str(first))["key"] == a  # a restart keeps every seat cookie valid
    assert _settings(DJANGO_SECRET_KEY_FILE=str(second))["key"] != a  # no key shared between installs
    assert _settings(DJANGO_SECRET_KEY_FILE=str(first), DJANGO_SECRET_KEY="k" * 60)["key"] == "k" * 60


def test_a_truncated_key_file_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "key").write_text("short\n")
    run = _start(DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"))
    assert run.returncode != 0 and "delete it to have a new one generated" in run.stderr


def test_the_secret_key_file_is_never_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".secret_key"], cwd=ROOT)
    assert ignored.returncode == 0


def test_debug_is_off_unless_asked_for(tmp_path):
    key = str(tmp_path / "key")
    assert _settings(DJANGO_SECRET_KEY_FILE=key)["debug"] is False
    assert _settings(DJANGO_SECRET_KEY_FILE=key, DJANGO_DEBUG="1")["debug"] is True
    dev = subprocess.run(["make", "-n", "dev"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "DJANGO_DEBUG=1" in dev.stdout
    run = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "manage.py serve" in run.stdout and "DJANGO_DEBUG" not in run.stdout


def test_websocket_origins_are_the_served_addresses_exactly(tmp_path):
    key = str(tmp_path / "key")
    assert _settings(DJANGO_SECRET_KEY_FILE=key)["origins"] == ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert _settings(DJANGO_SECRET_KEY_FILE=key, DJANGO_PUBLIC_PORTS="8001,8002", DJANGO_ALLOWED_HOSTS="ng.lan")["origins"] == [
        "http://ng.lan:8001", "http://ng.lan:8002",
    ]
    assert _settings(DJANGO_SECRET_KEY_FILE=key, DJANGO_HTTPS="1", DJANGO_ALLOWED_HOSTS="games.example.org")["origins"] == [
        "https://games.example.org",
    ]


def test_a_malformed_allowed_origin_stops_the_server_with_its_name(tmp_path):
    run = _start(DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"), DJANGO_ALLOWED_ORIGINS="http://ok.lan:8000,ftp://nope")
    assert run.returncode != 0 and "not an origin (scheme://host[:port]): ftp://nope" in run.stderr


async def _handshake(origin: str | None) -> bool:
    headers = [(b"host", b"127.0.0.1:8000")] + ([(b"origin", origin.encode())] if origin is not None else [])
    comm = WebsocketCommunicator(application, "/ws/match/no-such-table/", headers=headers)
    accepted, _ = await comm.connect(timeout=5)
    await comm.disconnect()
    return accepted


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", [
    "http://127.0.0.1:9000",  # the same host on another port
    "https://127.0.0.1:8000",  # ... or another scheme
    "http://testserver",
    "http://192.168.1.99:8000",  # someone else on the network
    "null",
    "",
    None,
])
async def test_a_websocket_from_another_origin_is_refused_and_the_log_names_it(origin, caplog):
    with caplog.at_level(logging.WARNING, logger="negotiation_game.origins"):
        assert not await _handshake(origin)
    assert "Refused a websocket" in caplog.text
    assert repr(origin or "(none)") in caplog.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", ["http://127.0.0.1:8000", "http://LOCALHOST:8000"])
async def test_a_websocket_from_the_servers_own_page_reaches_the_consumer(origin, caplog):
    # The consumer itself answers (the token is refused with its own error frame): the door let it in.
    with caplog.at_level(logging.WARNING, logger="negotiation_game.origins"):
        comm = WebsocketCommunicator(application, "/ws/match/no-such-table/", headers=[(b"origin", origin.encode())])
        accepted, _ = await comm.connect(timeout=5)
        assert accepted
        frame = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
    assert frame["type"] == "error" and "Refused a websocket" not in caplog.text


@pytest.mark.django_db
def test_an_http_request_for_another_host_gets_400_and_the_log_names_the_host(caplog):
    with caplog.at_level(logging.WARNING):
        response = Client().get("/", HTTP_HOST="intruder.example:8000")
    assert response.status_code == 400
    assert any(
        r.name == "django.security.DisallowedHost" and "intruder.example:8000" in r.getMessage() for r in caplog.records
    )
