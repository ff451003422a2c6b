"""The translation catalogues: complete, with their placeholders intact, and compiled into the committed
.mo files that Django serves (a fresh `make run` has no compile step)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from game.management.commands.compile_translations import catalogues, compiled

PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|%%|\{\w+(?:\|\w+)?\}")  # Python, and the phrasebook's {fields}
TAGS = re.compile(r"<[^>]+>")


def test_there_is_a_vietnamese_catalogue_for_the_pages_and_for_their_scripts():
    assert {p.relative_to(settings.BASE_DIR).as_posix() for p in catalogues()} == {
        "locale/vi/LC_MESSAGES/django.po", "locale/vi/LC_MESSAGES/djangojs.po",
    }


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.name)
def test_each_committed_mo_is_its_po_compiled(po: Path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `manage.py compile_translations` and commit it"
    assert mo.read_bytes() == compiled(po), f"{mo} is older than or differs from {po.name}: run `manage.py compile_translations`"


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.name)
def test_every_message_is_translated_and_none_is_a_fuzzy_guess(po: Path):
    catalogue = polib.pofile(str(po))
    assert catalogue.metadata["Language"] == "vi" and catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []  # msgmerge's guesses are never served


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.name)
def test_a_translation_keeps_every_placeholder_and_tag_of_its_message(po: Path):
    broken = []
    for entry in polib.pofile(str(po)):
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(PLACEHOLDERS.findall(text)) != sorted(PLACEHOLDERS.findall(entry.msgid)):
                broken.append(f"placeholders: {entry.msgid!r} -> {text!r}")
            if sorted(TAGS.findall(text)) != sorted(TAGS.findall(entry.msgid)):
                broken.append(f"tags: {entry.msgid!r} -> {text!r}")
            # A piece the scripts join to others keeps its surrounding spaces.
            if (text[:1].isspace(), text[-1:].isspace()) != (entry.msgid[:1].isspace(), entry.msgid[-1:].isspace()):
                broken.append(f"spaces: {entry.msgid!r} -> {text!r}")
    assert broken == []


def test_the_vietnamese_uses_the_terms_of_a_trade_ministry_with_their_diacritics():
    vi = {e.msgid: e.msgstr for po in catalogues() for e in polib.pofile(str(po))}
    assert vi["Round %(index)s"] == "Vòng %(index)s"
    assert vi["Accept their offer"] == "Chấp nhận đề xuất của phía đối tác"
    assert vi["Propose this package"] == "Đưa ra gói đề xuất này"
    assert vi["Negotiation training"] == "Tập huấn đàm phán"
    assert vi["Session length"] == "Thời lượng phiên"
    assert vi["Minister"] == "Bộ trưởng"
