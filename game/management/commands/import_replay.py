"""python manage.py import_replay FILE [--share] [--again] [--unverified]: load an exported replay (docs/replays.md)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from game.replays.exchange import ImportRefused, import_file
from game.replays.services import share_create


class Command(BaseCommand):
    help = ("Import a replay file exported by another installation. The scenario must be loaded here with the same id, "
            "version and digest. A file that does not check out is refused with the reason, and nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the replay JSON file")
        parser.add_argument("--share", action="store_true", help="also make a read-only share link and print it")
        parser.add_argument("--again", action="store_true", help="import even if this exact file was imported before")
        parser.add_argument("--unverified", action="store_true",
                            help="import a file no key here verifies (another server's without REPLAY_SHARED_KEY), marked unverified")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="prefix of the printed share link")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            if size > settings.REPLAY_MAX_BYTES:  # refused before a byte is read
                raise CommandError(
                    f"refused (replay/too_large): the file is {size:,} bytes; a replay file may be at most "
                    f"{settings.REPLAY_MAX_BYTES:,} bytes. Nothing was imported."
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            match = import_file(raw, allow_duplicate=options["again"], allow_unverified=options["unverified"])
        except ImportRefused as exc:
            raise CommandError(f"refused ({exc.code}): {exc.reason}. Nothing was imported.") from None
        signer = match.replay_import.verified_by
        self.stdout.write(f"ok: imported as match {match.public_id} ({match.label}, {match.version} events); "
                          f"it replays to the same states and scores; "
                          + (f"signature verified ({signer})" if signer else "UNVERIFIED: no key here checks its signature"))
        if options["share"]:
            share = share_create(match=match, created_by="import_replay")
            self.stdout.write(f"share link: {options['base_url'].rstrip('/')}/r/{share.token}/")
