"""Throwaway PostgreSQL and Redis servers for the fault tests: started on free ports in a temporary
folder, restarted or killed by the test, stopped at the end. The machine's own services (shared with
other test runs) are never touched."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20, proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process for port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def _binary_or_skip(path: str | None, what: str) -> str:
    if not path:
        pytest.skip(f"{what} is not installed here: the fault test that restarts it cannot run")
    return path


class LocalRedis:
    def __init__(self, folder: Path):
        self.binary = _binary_or_skip(shutil.which("redis-server"), "redis-server")
        self.port = free_port()
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_port(self.port, proc=self.proc)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()


class LocalPostgres:
    """initdb + pg_ctl into a temporary folder; run as the `postgres` user when this process is root
    (PostgreSQL refuses to run as root)."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        self.bin = Path(_binary_or_skip(bins[-1] if bins else shutil.which("pg_ctl"), "PostgreSQL (pg_ctl)")).parent
        self.port = free_port()
        # Its own folder in /tmp: the test's temporary folders are private to this user.
        folder = self.folder = Path(tempfile.mkdtemp(prefix="ng-fault-pg-"))
        self.data = folder / "pgdata"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            try:
                import pwd  # noqa: PLC0415

                pwd.getpwnam("postgres")
            except KeyError:
                runuser = None
            _binary_or_skip(runuser, "a `postgres` user to run PostgreSQL as (this process is root)")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        self.log = folder / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", *args)

    def start(self) -> None:
        self._ctl("start")
        wait_port(self.port)

    def restart(self) -> None:
        """A crash and a restart: every connection is cut, nothing committed is lost."""
        self._ctl("-m", "immediate", "restart")
        wait_port(self.port)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
