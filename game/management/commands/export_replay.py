"""python manage.py export_replay MATCH_ID [--output FILE]: write a finished match's replay file."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from game.models import Match
from game.replays.exchange import export_bytes


class Command(BaseCommand):
    help = "Export a finished match as one replay JSON file (docs/replays.md, 'The export file')."

    def add_arguments(self, parser):
        parser.add_argument("match_id", help="the match's public id (as in its URLs) or its number here")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        key = options["match_id"]
        found = Match.objects.select_related("scenario")
        match = (found.filter(pk=int(key)) if key.isdigit() else found.filter(public_id=key)).first()
        if match is None:
            raise CommandError(f"there is no match {options['match_id']}")
        if match.status != "finished":
            raise CommandError(f"match {match.pk} is {match.status}; only a finished game can be exported")
        data = export_bytes(match)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"wrote {options['output']} ({len(data)} bytes, {match.version} events)")
        else:
            sys.stdout.buffer.write(data)
