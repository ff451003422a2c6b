"""How a server process's interpreter is tuned: the one start-up hook, called by `manage.py serve`
before daphne starts (make run, dev and room, and the bench's servers all start through it). Importing
the application changes nothing about the process. The figures behind each setting are in
docs/performance.md ("Decisions")."""

from __future__ import annotations

import gc
import sys

from django.conf import settings


def tune_server_process() -> None:
    # The event loop and the database threads share one interpreter. With CPython's default 5 ms GIL
    # switch interval a database thread, which gives the GIL up on every query, waits up to 5 ms to get
    # it back from a busy event loop after each of a move's queries (a "convoy"), which caps the moves a
    # process can store a second. A shorter interval hands the GIL over sooner.
    if settings.REALTIME_GIL_SWITCH_INTERVAL:
        sys.setswitchinterval(settings.REALTIME_GIL_SWITCH_INTERVAL)

    # Garbage collection: what is loaded by now (Django, the app, the libraries) lives as long as the
    # process, so it is moved out of the collector's sight, and the youngest generation is collected
    # less often: a full collection is a stall of every socket of the process. Reference cycles are
    # still collected, only in larger batches.
    if settings.REALTIME_GC_THRESHOLD:
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(settings.REALTIME_GC_THRESHOLD, older, oldest)
