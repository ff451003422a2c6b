"""The embedded channel layer: Channels' in-memory layer with its expiry sweep rate-limited.

Channels' InMemoryChannelLayer sweeps every channel and every group membership for expired messages
on *every* receive and group_send. With a room of sockets open that is O(sockets) of Python per
delivered message, O(sockets x messages) in all: with 400 seat sockets it was the largest single cost
of a move on the embedded default (py-spy: ~40% of the server's CPU under 50 moves/s, and the echo
floor's p99 went to seconds). Messages expire after `expiry` (60 s) and memberships after
`group_expiry` (a day), so sweeping once a second changes nothing a client can observe: an expired
message is still never delivered late by more than a second beyond a minute.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as _Base


class InMemoryChannelLayer(_Base):
    sweep_interval = 1.0  # seconds between two expiry sweeps

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._last_sweep = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.sweep_interval:
            return
        self._last_sweep = now
        super()._clean_expired()
