"""How a server process's interpreter is tuned: the one start-up hook, called by `manage.py serve`
before daphne starts (make run, dev and room, and the bench's servers all start through it). Importing
the application changes nothing about the process. Each setting was measured with bench/realtime.py
(docs/performance.md)."""

from __future__ import annotations

import gc
import sys

from django.conf import settings


def tune_server_process() -> None:
    # The event loop and the database threads share one interpreter. With CPython's default 5 ms GIL
    # switch interval a database thread, which gives the GIL up on every query, waits up to 5 ms to get
    # it back from a busy event loop after each of a move's queries (a "convoy"): measured, it capped a
    # process near 30 moves/s with seconds of delay. A shorter interval hands the GIL over sooner.
    if settings.REALTIME_GIL_SWITCH_INTERVAL:
        sys.setswitchinterval(settings.REALTIME_GIL_SWITCH_INTERVAL)

    # Garbage collection: what is loaded by now (Django, the app, the libraries) lives as long as the
    # process, so it is moved out of the collector's sight, and the youngest generation is collected
    # less often. Measured under the bench's load with the defaults: full collections of 70-180 ms,
    # each one a stall of every socket of the process, and 0.6-0.8 s of collecting per process and run;
    # with these, a quarter of that. Reference cycles are still collected, only in larger batches.
    if settings.REALTIME_GC_THRESHOLD:
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(settings.REALTIME_GC_THRESHOLD, older, oldest)
