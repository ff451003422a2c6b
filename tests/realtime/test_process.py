"""A server process's interpreter is tuned when its websocket routes load (game/realtime/process.py):
the settings the bench measured are the ones in force, and autobahn's debug text is not coloured."""

from __future__ import annotations

import gc
import sys

import autobahn.util
import autobahn.websocket.protocol
from django.conf import settings

import game.realtime.routing  # noqa: F401  (loading the routes tunes the process)


def test_loading_the_routes_applies_the_gil_and_gc_settings():
    assert sys.getswitchinterval() == settings.REALTIME_GIL_SWITCH_INTERVAL
    assert gc.get_threshold()[0] == settings.REALTIME_GC_THRESHOLD
    assert gc.get_freeze_count() > 0  # what was loaded at start-up is out of the collector's way


def test_autobahn_debug_text_is_plain_as_in_production():
    # A renamed name in a newer autobahn would bring the colouring or the pretty-printing (and their
    # cost per frame and per connection) back.
    assert hasattr(autobahn.util, "_HAS_CLICK")
    assert autobahn.util.hl("peer") == "peer"
    assert autobahn.websocket.protocol.pformat is repr
