"""A bot's reasons are sentences of the catalogue: every one of a whole game reads in Vietnamese, with
its values, and in English as the bot composed it."""

from __future__ import annotations

import re

from django.utils import translation

from game.bots import play_game
from game.engine.words import english
from game.scenario.text import Local, Text
from game.web.said import said

SENTENCE_FIELDS = ("note", "details", "reason", "text", "question", "answer")
TABLE_WORDS = {"statement_made": "text", "capability_shown": "text", "probe_made": "question"}


def _sentences(value):
    """Every Text inside a stored sentence (its JSON), itself included."""
    if isinstance(value, dict) and "msgid" in value:
        text = Text.model_validate(value)
        stack = [text]
        while stack:
            t = stack.pop()
            yield t
            stack.extend(v for v in t.params.values() if isinstance(v, Text))


def test_every_bot_reason_of_a_game_is_said_in_vietnamese(default_scenario):
    events = play_game(default_scenario, {"us": "us_hardline", "vn": "vn_dealseeker"}, seed=6, epilogue=True)
    stored = [e.data[f] for e in events for f in SENTENCE_FIELDS if isinstance(e.data.get(f), dict)]
    assert len(stored) > 50  # every move of a bot says why
    msgids = {t.msgid for value in stored for t in _sentences(value)}
    with translation.override("vi"):
        untranslated = sorted(m for m in msgids if re.search(r"[A-Za-z]{3}", re.sub(r"%\(\w+\)s", "", m)) and translation.gettext(m) == m)
        assert untranslated == []
        for value in stored:
            vietnamese = said(value)
            assert "%(" not in vietnamese and vietnamese != english(value)
    with translation.override("en"):
        assert all(said(value) == english(value) for value in stored)


def test_what_bots_say_at_the_table_reads_in_vietnamese_with_the_case_in_vietnamese(default_scenario):
    events = play_game(default_scenario, {"us": "us_hardline", "vn": "vn_dealseeker"}, seed=6, epilogue=True)
    spoken = [(e.type, e.data[TABLE_WORDS[e.type]]) for e in events if e.type in TABLE_WORDS]
    assert {kind for kind, _ in spoken} == set(TABLE_WORDS)  # statements, shown strength and probes
    titles = [issue.title for issue in default_scenario.issues]
    named = 0
    for kind, words in spoken:
        assert isinstance(words, dict), f"{kind} is said as written: {words!r}"
        vietnamese, english_words = said(words, "vi"), said(words, "en")
        assert vietnamese != english_words
        assert not any(t.en in vietnamese for t in titles), vietnamese  # no issue named in English
        named += any(t.vi in vietnamese for t in titles)
    assert named >= len(spoken) // 2  # the agenda's and the probed issues' Vietnamese names


def test_a_reason_naming_the_case_says_each_name_in_the_readers_language():
    name = Local(en="Vietnam's tariffs on US goods", vi="Thuế quan của Việt Nam đối với hàng hóa Hoa Kỳ")
    reason = Text(msgid="We give ground on %(gives)s, because we read that you care most about %(cares)s.",
                  params={"gives": name, "cares": Text(msgid="%(first)s and %(last)s", params={"first": "Price", "last": name})})
    stored = reason.model_dump()
    with translation.override("vi"):
        assert said(stored) == ("Chúng tôi nhượng bộ về Thuế quan của Việt Nam đối với hàng hóa Hoa Kỳ, vì chúng tôi nhận thấy quý vị quan tâm "
                                "nhất đến Price và Thuế quan của Việt Nam đối với hàng hóa Hoa Kỳ.")
    assert english(stored) == ("We give ground on Vietnam's tariffs on US goods, because we read that you care most about "
                               "Price and Vietnam's tariffs on US goods.")
