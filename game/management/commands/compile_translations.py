"""Compile locale/<lang>/LC_MESSAGES/*.po into the .mo files Django reads, without GNU gettext.

Django's own `compilemessages` needs gettext's msgfmt, which many machines lack; this command does the
same with the polib package (a dev dependency). The .mo files are committed, so `make run` on a fresh
machine serves every language with no build step; tests/i18n checks that each .mo is the compiled form
of its .po (docs/translation.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    """Every .po file under the project's LOCALE_PATHS."""
    return sorted(po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo bytes of one .po file (polib orders entries itself, so the output is reproducible)."""
    import polib  # noqa: PLC0415 (a dev dependency: only translators and the tests need it)

    catalogue = polib.pofile(str(po_path))
    return catalogue.to_binary()


class Command(BaseCommand):
    help = "Compile the project's .po translation catalogues into .mo files (no GNU gettext needed)."

    def handle(self, *args, **options):
        for po in catalogues():
            mo = po.with_suffix(".mo")
            data = compiled(po)
            if mo.exists() and mo.read_bytes() == data:
                continue
            mo.write_bytes(data)
            self.stdout.write(f"compiled {mo.relative_to(settings.BASE_DIR)}")
