"""A per-connection token bucket (neither Channels nor daphne limits message rates)."""

from __future__ import annotations

import time
from math import ceil
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; each frame takes one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = float(rate)
        self.burst = int(burst)
        self.clock = clock
        self.tokens = float(burst)
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def wait_time(self) -> float:
        """Seconds, rounded up to the millisecond, from the last frame taken or refused until the next
        would be let through: after a refusal always more than 0."""
        return 0.0 if self.tokens >= 1.0 else ceil((1.0 - self.tokens) / self.rate * 1000) / 1000
