"""`make room`: which addresses it serves and lets in, what it prints, and what it does with none."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from negotiation_game import room

ROOT = Path(__file__).resolve().parents[2]


def test_the_room_lets_in_exactly_the_machines_addresses_and_name():
    r = room.plan(["192.168.1.20", "10.0.0.5"], hostname="Trainer-Laptop", port=8000)
    env = r.env()
    assert env["DJANGO_DEBUG"] == "0" and env["DJANGO_HTTPS"] == "0"
    assert env["DJANGO_ALLOWED_HOSTS"].split(",") == [
        "192.168.1.20", "10.0.0.5", "trainer-laptop", "trainer-laptop.local", "127.0.0.1", "localhost",
    ]
    assert env["DJANGO_ALLOWED_ORIGINS"].split(",") == [
        "http://192.168.1.20:8000", "http://10.0.0.5:8000", "http://trainer-laptop:8000", "http://trainer-laptop.local:8000",
        "http://127.0.0.1:8000", "http://localhost:8000",
    ]
    assert env["DJANGO_PUBLIC_ORIGIN"] == "http://192.168.1.20:8000"
    assert "DJANGO_SECRET_KEY" not in env  # the install's own key, from its file
    # It listens on those addresses and this machine's loopback only -- never on every interface.
    listen = [a for a in r.daphne_args() if a.startswith("tcp:")]
    assert listen == [
        "tcp:port=8000:interface=192.168.1.20:backlog=1024", "tcp:port=8000:interface=10.0.0.5:backlog=1024",
        "tcp:port=8000:interface=127.0.0.1:backlog=1024",
    ]


def test_the_wifi_address_comes_before_container_and_vpn_addresses():
    assert room._rank("docker0", "172.17.0.1") > room._rank("wlan0", "192.168.4.2")
    assert room._rank("en0", "10.1.2.3") > room._rank("en0", "192.168.4.2")
    assert room._rank("utun3", "192.168.99.1") > room._rank("en0", "10.1.2.3")


def test_a_machine_with_no_network_address_is_told_so_and_nothing_starts(capsys):
    started = []
    code = room.main(["--port", "8123"], find_addresses=list, hostname="laptop", run=lambda *a, **k: started.append(a),
                     serve=lambda *a: started.append(a))
    assert code == 1 and not started
    err = capsys.readouterr().err
    assert "No local-network address found" in err and "hotspot" in err


def test_the_room_prepares_the_database_prints_the_join_address_then_serves(capsys):
    calls, served = [], []

    def run(cmd, **kw):
        calls.append((cmd, kw["env"]))
        return subprocess.CompletedProcess(cmd, 0)

    code = room.main(["--port", "8123"], find_addresses=lambda: ["192.168.1.20"], check=lambda a, p: [], hostname="laptop",
                     run=run,
                     serve=lambda path, argv, env: served.append((argv, env)))
    assert code == 0
    assert [c[0][2:4] for c in calls] == [["migrate", "--noinput"], ["load_scenario"]]
    out = capsys.readouterr().out
    assert "http://192.168.1.20:8123/join/" in out and "http://127.0.0.1:8123/facilitator/" in out
    argv, env = served[0]
    assert argv[2:3] == ["serve"] and "tcp:port=8123:interface=192.168.1.20:backlog=1024" in argv
    assert env["DJANGO_ALLOWED_HOSTS"].startswith("192.168.1.20,laptop,laptop.local,")
    assert all(c[1]["DJANGO_ALLOWED_HOSTS"] == env["DJANGO_ALLOWED_HOSTS"] for c in calls)


def test_a_failed_migration_stops_the_room_before_it_serves(capsys):
    served = []
    code = room.main(["--address", "192.168.1.20"], check=lambda a, p: [], hostname="laptop",
                     run=lambda cmd, **kw: subprocess.CompletedProcess(cmd, 3),
                     serve=lambda *a: served.append(a))
    assert code == 3 and not served and "the room is not started" in capsys.readouterr().err


def test_make_room_is_the_room_command():
    dry = subprocess.run(["make", "-n", "room", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "-m negotiation_game.room --port 8765" in dry.stdout


def test_detected_addresses_are_ipv4_and_never_loopback():
    for address in room.lan_addresses():
        assert address.count(".") == 3 and not address.startswith(("127.", "169.254."))


def test_a_port_already_taken_is_named_and_nothing_starts(capsys):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        started = []
        code = room.main(["--address", "127.0.0.1", "--port", str(port)], hostname="laptop",
                         run=lambda *a, **k: started.append(a), serve=lambda *a: started.append(a))
    assert code == 1 and not started
    assert f"Port {port} is already in use on 127.0.0.1" in capsys.readouterr().err


def test_an_address_that_is_not_this_machines_is_refused_before_anything_starts(capsys):
    started = []
    code = room.main(["--address", "192.0.2.123", "--port", "8123"], hostname="laptop",
                     run=lambda *a, **k: started.append(a), serve=lambda *a: started.append(a))
    assert code == 1 and not started
    assert "Cannot serve on 192.0.2.123" in capsys.readouterr().err
