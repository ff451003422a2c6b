"""Print the JSON Schema of the websocket protocol (both directions), as documented in docs/protocol.md."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from game.realtime.protocol import schema


class Command(BaseCommand):
    help = "Print the JSON Schema of the websocket protocol (client->server and server->client frames)."

    def add_arguments(self, parser):
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, indent: int = 2, **options):
        self.stdout.write(json.dumps(schema(), indent=indent or None, sort_keys=False))
