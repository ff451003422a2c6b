"""`manage.py serve [daphne options]`: daphne, with the websocket message limit this project needs.

daphne (autobahn underneath) drops a connection whose message is larger than its own limit (1 MiB by
default) without a word. The application refuses anything over REALTIME_MAX_FRAME_BYTES with a
`protocol/too_large` error frame and keeps the connection, so daphne's limit is set above the largest
frame a broken or hostile client is expected to send (REALTIME_SERVER_MAX_MESSAGE_BYTES): such a
frame is read, refused with that error, and the game goes on. Before daphne starts, the process is
tuned once (game/realtime/process.py): this command is the only place that happens. Everything else is daphne's own
command line, passed through unchanged, e.g.

    python manage.py serve -b 127.0.0.1 -p 8000 negotiation_game.asgi:application
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand


def daphne_limits() -> list[str]:
    """daphne's options for the largest websocket message (and frame) it reads."""
    size = str(settings.REALTIME_SERVER_MAX_MESSAGE_BYTES)
    return ["--websocket-max-message-size", size, "--websocket-max-frame-size", size]


class Command(BaseCommand):
    help = "Run daphne with the project's websocket message limit; other arguments go to daphne."

    def run_from_argv(self, argv: list[str]) -> None:  # every argument after `serve` is daphne's
        from daphne.cli import CommandLineInterface  # noqa: PLC0415

        from game.realtime.process import tune_server_process  # noqa: PLC0415

        tune_server_process()
        CommandLineInterface().run([*daphne_limits(), *argv[2:]])

    def handle(self, *args, **options) -> None:  # pragma: no cover - run_from_argv serves instead
        raise NotImplementedError
