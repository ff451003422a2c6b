"""The rules core's words reach each reader in their own language."""

from django.utils import translation

from game.scenario.text import Local, Text, gettext_noop
from game.web.text import say


def test_a_local_text_reads_in_the_readers_language_and_falls_back_to_english():
    title = Local.model_validate({"en": "Ministry of Industry and Trade", "vi": "Bộ Công Thương"})
    assert title.in_language("vi-VN") == "Bộ Công Thương"
    assert title.in_language("en") == "Ministry of Industry and Trade"
    assert Local.model_validate("Only English").in_language("vi") == "Only English"
    assert Local.model_validate("Only English").missing() == ["vi"]
    with translation.override("vi"):
        assert say(title) == "Bộ Công Thương"


def test_a_composed_sentence_renders_its_values_in_the_same_language():
    issue = Local(en="Tariff on Vietnamese goods", vi="Thuế đối với hàng Việt Nam")
    note = Text(msgid=gettext_noop("Round %(index)s"), params={"index": 2})
    nested = Text(msgid="%(what)s: %(issue)s", params={"what": note, "issue": issue})
    assert str(nested) == "Round 2: Tariff on Vietnamese goods"
    with translation.override("vi"):
        assert say(nested).endswith("Thuế đối với hàng Việt Nam")
        assert say(nested).startswith("Vòng 2")  # "Round %(index)s" is in the interface's catalogue


def test_a_composed_sentence_survives_the_event_log_as_json():
    text = Text(msgid="On %(issue)s", params={"issue": Local(en="Tariff", vi="Thuế"), "n": 3})
    again = Text.model_validate_json(text.model_dump_json())
    assert again == text and isinstance(again.params["issue"], Local)


def test_free_text_is_shown_as_written():
    with translation.override("vi"):
        assert say("We will sign on Friday.") == "We will sign on Friday."
