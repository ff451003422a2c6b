"""The embedded channel layer: Channels' in-memory layer with its expiry sweep rate-limited.

Channels' InMemoryChannelLayer sweeps every channel and every group membership for expired messages
on *every* receive and group_send: O(sockets) of Python per delivered message, O(sockets x messages)
in all. Kept because the bench needs it: with Channels' own layer and 400 seat sockets the floors'
p99 goes to seconds (docs/performance.md, "Decisions", with the figures).
Messages expire after `expiry` (60 s) and memberships after `group_expiry` (a day), so sweeping once a
second changes nothing a client can observe: an expired message is still never delivered late by
more than a second beyond a minute. The override is of `_clean_expired`, Channels' private method.
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
