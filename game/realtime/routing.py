"""Websocket routes: a seat at a table, and a facilitator's console for a workshop."""

import sys

from channels.auth import AuthMiddlewareStack
from django.conf import settings
from django.urls import path

from game.realtime.consumers import FacilitatorConsumer, SeatConsumer

# A server process runs the event loop and the one database thread (plus the scorer's worker) in one
# interpreter. With CPython's default 5 ms GIL switch interval, the database thread, which gives the
# GIL up on every query, waits up to 5 ms to get it back from a busy event loop -- after each of a
# move's queries (a "convoy"): measured, it capped a process near 30 moves/s with seconds of delay.
# A shorter interval hands the GIL over sooner (bench/realtime.py; docs/performance.md).
if getattr(settings, "REALTIME_GIL_SWITCH_INTERVAL", None):
    sys.setswitchinterval(settings.REALTIME_GIL_SWITCH_INTERVAL)

# Only the facilitator's console needs the signed-in user (a session read and a user query on the
# database thread per connection); a seat is its secret alone, so seat sockets skip that middleware --
# which matters when a room of 300 reconnects at once (bench/realtime.py's reconnect storm).
websocket_urlpatterns = [
    path("ws/match/<int:match_id>/", SeatConsumer.as_asgi()),
    path("ws/workshop/<int:workshop_id>/", AuthMiddlewareStack(FacilitatorConsumer.as_asgi())),
]
