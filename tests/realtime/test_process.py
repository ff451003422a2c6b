"""A server process's interpreter is tuned by one explicit start-up hook, the one `manage.py serve`
calls before daphne starts; importing the application leaves the process as CPython set it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

from django.conf import settings

from game.management.commands import serve


def test_serve_tunes_the_process_before_daphne_starts(monkeypatch):
    seen = {}

    def fake_daphne_run(self, args):  # records the interpreter's state when daphne would start
        seen["switch"] = sys.getswitchinterval()
        seen["gen0"] = gc.get_threshold()[0]
        seen["frozen"] = gc.get_freeze_count()
        seen["args"] = args

    import daphne.cli

    monkeypatch.setattr(daphne.cli.CommandLineInterface, "run", fake_daphne_run)
    switch, threshold = sys.getswitchinterval(), gc.get_threshold()
    try:
        serve.Command().run_from_argv(["manage.py", "serve", "-p", "0", "negotiation_game.asgi:application"])
    finally:
        sys.setswitchinterval(switch)
        gc.set_threshold(*threshold)
        gc.unfreeze()
    assert seen["switch"] == settings.REALTIME_GIL_SWITCH_INTERVAL
    assert seen["gen0"] == settings.REALTIME_GC_THRESHOLD
    assert seen["frozen"] > 0  # what was loaded at start-up is out of the collector's way
    assert seen["args"][-3:] == ["-p", "0", "negotiation_game.asgi:application"]


def test_importing_the_application_does_not_tune_the_process():
    # A fresh interpreter: load the whole ASGI application (routes and consumers included) and
    # report the interpreter's settings, which must still be CPython's own.
    script = textwrap.dedent(
        """
        import gc, sys
        before = (sys.getswitchinterval(), gc.get_threshold(), gc.get_freeze_count())
        import negotiation_game.asgi, game.realtime.routing
        after = (sys.getswitchinterval(), gc.get_threshold(), gc.get_freeze_count())
        print(before == after)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "negotiation_game.settings"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "True"
