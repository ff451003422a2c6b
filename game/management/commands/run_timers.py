"""Run the clock on its own: advance every match whose phase deadline has passed (see game.realtime.timers).

Server processes run the clock themselves (REALTIME_TIMERS_IN_SERVER); this command is for a
deployment that prefers one dedicated ticker. Several may run at once: each advance happens once.
"""

from __future__ import annotations

import asyncio

from django.core.management.base import BaseCommand

from game.realtime import tasks, timers


class Command(BaseCommand):
    help = "Advance phases whose deadline has passed, every REALTIME_TIMER_INTERVAL seconds (or once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between checks")

    def handle(self, *args, once: bool = False, interval: float | None = None, **options):
        asyncio.run(self._main(once, interval))

    async def _main(self, once: bool, interval: float | None) -> None:
        if once:
            advanced = await timers.tick_due()
            await tasks.drain()  # the bots a tick woke up
            self.stdout.write(f"advanced {len(advanced)} match(es)")
            return
        self.stdout.write("running the clock (Ctrl-C to stop)")
        await timers.run_forever(interval)
