"""`make room`: serve a workshop from this machine to the trainees' own devices on the local network.

    .venv/bin/python -m negotiation_game.room [--port 8000] [--address 192.168.1.20 ...]

It finds the machine's local-network (IPv4) addresses, or takes them from --address, and serves on
exactly those and on 127.0.0.1 (the trainer's own browser), with DEBUG off, plain http and the
install's secret key. Only those addresses and the machine's host name are allowed in, as HTTP hosts
and as websocket origins; anything else gets a 400 or a refused socket, named in the log. It prepares
the database (migrate, the default scenario), prints the join address and then becomes the server.
With no local-network address, or with its port already taken, it says so and exits 1.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from negotiation_game.origins import derive

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ["127.0.0.1", "localhost"]  # the trainer's own browser on this machine
# Interfaces that do not face the room: containers, virtual machines, VPN tunnels.
VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "utun", "tun", "tap", "wg", "tailscale", "zt")
NO_ADDRESS = (
    "No local-network address found: this machine is on no network (Wi-Fi off, no cable?).\n"
    "Join the venue's Wi-Fi or turn on a phone's hotspot and join it with this machine, then run `make room` again.\n"
    "(`make run` serves this machine alone, at http://127.0.0.1:8000/.)"
)


def _rank(nic: str, address: str) -> tuple[int, int]:
    """Room-facing interfaces first; among them the usual Wi-Fi and hotspot ranges first."""
    ip = ipaddress.ip_address(address)
    virtual = nic.lower().startswith(VIRTUAL_PREFIXES)
    usual = next((i for i, net in enumerate(("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12")) if ip in ipaddress.ip_network(net)), 3)
    return (1 if virtual else 0, usual)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on interfaces that are up, except loopback and link-local, best first."""
    import psutil  # noqa: PLC0415 (only `make room` needs it)

    stats = psutil.net_if_stats()
    found = []
    for nic, addrs in psutil.net_if_addrs().items():
        if nic not in stats or not stats[nic].isup:
            continue
        for a in addrs:
            if a.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(a.address)
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
                continue
            found.append((_rank(nic, a.address), a.address))
    return [address for _, address in sorted(found)]


def host_names(hostname: str) -> list[str]:
    """The machine's name as phones may resolve it: as given and, for a bare name, its mDNS name (.local)."""
    name = hostname.strip().lower().rstrip(".")
    if not name or name in LOCAL:
        return []
    return [name] if "." in name else [name, f"{name}.local"]


@dataclass(frozen=True)
class Room:
    addresses: list[str]  # where the server listens for the room, best first
    port: int
    hosts: list[str]  # DJANGO_ALLOWED_HOSTS
    origins: list[str]  # DJANGO_ALLOWED_ORIGINS

    @property
    def join_origin(self) -> str:
        return f"http://{self.addresses[0]}:{self.port}"

    @property
    def join_url(self) -> str:
        return f"{self.join_origin}/join/"

    def env(self) -> dict[str, str]:
        """The settings of the room's server (negotiation_game/settings.py reads them)."""
        return {
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": ",".join(self.hosts),
            "DJANGO_ALLOWED_ORIGINS": ",".join(self.origins),
            "DJANGO_PUBLIC_ORIGIN": self.join_origin,
        }

    def daphne_args(self) -> list[str]:
        # One endpoint per address: nothing listens on the machine's other interfaces. The backlog
        # absorbs a room of phones reconnecting at once after the Wi-Fi comes back.
        listen = [*self.addresses, *(a for a in ["127.0.0.1"] if a not in self.addresses)]
        args = []
        for address in listen:
            args += ["-e", f"tcp:port={self.port}:interface={address}:backlog=1024"]
        # No access log: the terminal keeps the join address in view and shows only what needs the
        # trainer (refused addresses, errors).
        return [*args, "-v", "0", "negotiation_game.asgi:application"]


def unusable(addresses: Sequence[str], port: int) -> list[str]:
    """Why the server could not listen at `port` on each of these addresses (and 127.0.0.1) -- already in
    use, or not this machine's -- as sentences; empty if it can. Binding a socket sends nothing."""
    problems = []
    for address in dict.fromkeys([*addresses, "127.0.0.1"]):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            try:
                s.bind((address, port))
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    problems.append(
                        f"Port {port} is already in use on {address} (another `make room` or `make run`?): stop it, "
                        f"or choose another port: make room PORT={port + 80}"
                    )
                else:
                    problems.append(f"Cannot serve on {address}: {exc.strerror} (is it one of this machine's addresses?)")
    return problems


def plan(addresses: Sequence[str], *, hostname: str, port: int) -> Room:
    if not addresses:
        raise ValueError("no address to serve the room on")
    hosts = list(dict.fromkeys([*addresses, *host_names(hostname), *LOCAL]))
    return Room(addresses=list(addresses), port=port, hosts=hosts, origins=derive(hosts, https=False, ports=[port]))


def banner(room: Room) -> str:
    names = [h for h in room.hosts if h not in room.addresses and h not in LOCAL]
    lines = [
        "",
        "A room on this machine. Trainees join (same Wi-Fi) at:",
        "",
        f"    {room.join_url}",
        "",
        "(the console's projector view shows this address and a QR code of the workshop's join link)",
    ]
    if names:
        lines.append(f"Also by name, where the network resolves it: {', '.join(f'http://{n}:{room.port}/' for n in names)}")
    if len(room.addresses) > 1:
        lines.append(f"Other addresses of this machine, also served: {', '.join(room.addresses[1:])}")
    lines += [
        f"Your console, on this machine: http://127.0.0.1:{room.port}/facilitator/",
        "A phone that cannot connect: see docs/deploy.md, \"A room on a laptop\". Export the results before closing the lid.",
        "From here on this terminal shows only problems (refused addresses, errors). Ctrl-C stops the server.",
        "",
    ]
    return "\n".join(lines)


def main(
    argv: Sequence[str] | None = None,
    *,
    find_addresses: Callable[[], list[str]] = lan_addresses,
    check: Callable[[Sequence[str], int], list[str]] = unusable,
    hostname: str | None = None,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
    serve: Callable[[str, list[str], dict[str, str]], object] = os.execve,
) -> int:
    ap = argparse.ArgumentParser(prog="make room", description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    ap.add_argument("--address", action="append", default=[], help="serve on this address instead of the detected ones (repeatable)")
    args = ap.parse_args(argv)
    addresses = list(dict.fromkeys(args.address)) or find_addresses()
    if not addresses:
        print(NO_ADDRESS, file=sys.stderr)
        return 1
    if problems := check(addresses, args.port):
        print("\n".join(problems), file=sys.stderr)
        return 1
    name = socket.gethostname() if hostname is None else hostname
    room = plan(addresses, hostname=name, port=args.port)
    env = {**os.environ, **room.env(), "DJANGO_SETTINGS_MODULE": "negotiation_game.settings"}
    for command in (["migrate", "--noinput", "-v", "0"], ["load_scenario"]):
        done = run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, env=env)
        if done.returncode != 0:
            print(f"`manage.py {' '.join(command)}` failed: the room is not started.", file=sys.stderr)
            return done.returncode
    print(banner(room), flush=True)
    os.chdir(ROOT)
    # `manage.py serve` is daphne with the project's websocket message limit.
    serve(sys.executable, [sys.executable, str(ROOT / "manage.py"), "serve", *room.daphne_args()], env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
