"""Each person reads the interface in their own language: the browser's Accept-Language by default,
the switch on every page to choose, Django's language cookie to remember the choice."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from game.services import workshop_create
from game.web.forms import WorkshopForm
from tests.i18n.untranslated import english_on_page, visible_pieces

pytestmark = pytest.mark.django_db

VI = {"HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _english(response) -> list[str]:
    return english_on_page(visible_pieces(response.content.decode()))


def _switch_to(client: Client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, **EN)


def test_the_start_page_follows_the_browsers_language(scenario_record):
    vi = Client().get("/", **VI)
    assert _lang(vi) == "vi" and "Luyện tập với bot" in vi.content.decode()
    assert _english(vi) == []
    en = Client().get("/", **EN)
    assert _lang(en) == "en" and "Practise against the bot" in en.content.decode()
    # The same check on the English page finds the interface's English: it is no check that cannot fail.
    assert {"Practise against the bot", "Join a workshop", "How a round works"} <= set(_english(en))


def test_the_switch_remembers_the_choice_over_the_browsers_language(scenario_record):
    client = Client()
    answer = _switch_to(client, "vi", "/practice/")
    assert answer.status_code == 302 and answer["Location"] == "/practice/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    page = client.get("/practice/", **EN)  # the browser still asks for English: the choice wins
    assert _lang(page) == "vi" and "Luyện tập với bot" in page.content.decode()
    assert _english(page) == []
    _switch_to(client, "en")
    assert _lang(client.get("/", **VI)) == "en"


def test_an_unknown_language_changes_nothing(scenario_record):
    client = Client()
    answer = client.post("/i18n/setlang/", {"language": "xx", "next": "/"}, **EN)
    assert answer.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert _lang(client.get("/", **EN)) == "en"


@pytest.mark.parametrize("url", ["/", "/practice/", "/join/", "/facilitator/login/", "/facilitator/signup/", "/no-such-page/"])
def test_every_page_offers_the_switch_with_the_current_language_pressed(url, scenario_record):
    html = Client().get(url, **VI).content.decode()
    form = re.search(r'<form class="lang-switch" method="post" action="/i18n/setlang/".*?</form>', html, re.S)
    assert form, f"{url} has no language switch"
    buttons = re.findall(r'<button[^>]*value="(\w+)" lang="\w+"[^>]*aria-pressed="(\w+)">([^<]+)</button>', form.group(0))
    assert buttons == [("en", "false", "English"), ("vi", "true", "Tiếng Việt")]
    assert 'name="csrfmiddlewaretoken"' in form.group(0)


def test_a_practice_game_starts_and_its_table_is_in_vietnamese(scenario_record):
    client = Client()
    setup = client.get("/practice/", **VI)
    assert _english(setup) == []
    form = re.findall(r'name="(team|role_id|persona|scenario)" value="([^"]+)"[^>]*checked', setup.content.decode())
    data = dict(form) | {"scenario": scenario_record.scenario_id}
    answer = client.post("/practice/", data, **VI)
    assert answer.status_code == 302, answer.content.decode()[:500]
    table = client.get(answer["Location"], **VI)
    text = table.content.decode()
    assert _lang(table) == "vi" and "Vòng 0 / " in text and "Họp nội bộ" in text
    assert _english(table) == []


def test_a_workshop_can_mix_languages_each_trainee_reads_their_own(scenario_record, django_user_model):
    fran = django_user_model.objects.create_user(username="fran")
    workshop = workshop_create(facilitator=fran, scenario_record=scenario_record, title="Hà Nội", tables=1, settings={})
    lan, sam = Client(), Client()
    vi = lan.get(f"/join/{workshop.code}/", **VI)
    en = sam.get(f"/join/{workshop.code}/", **EN)
    assert "Nhận vị trí" in vi.content.decode() and _english(vi) == []
    assert "Take my seat" in en.content.decode()
    # A mistake is explained in the trainee's own language, and nobody is seated.
    refused = lan.post(f"/join/{workshop.code}/", {"display_name": "", "seat": "auto"}, **VI)
    assert refused.status_code == 400 and "Vui lòng nhập tên (từ 1 đến 40 ký tự)." in refused.content.decode()
    assert _english(refused) == []
    seated = lan.post(f"/join/{workshop.code}/", {"display_name": "Lan", "seat": "auto"}, **VI)
    table = lan.get(seated["Location"], **VI)
    assert _lang(table) == "vi" and _english(table) == []


def test_a_wrong_join_code_is_explained_in_vietnamese(scenario_record):
    page = Client().get("/join/", {"code": "ZZZZZZ"}, follow=True, **VI)
    assert page.status_code == 404 and "Không có buổi tập huấn nào mang mã ZZZZZZ" in page.content.decode()
    assert _english(page) == []


def test_the_workshop_form_explains_its_errors_in_the_facilitators_language(scenario_record, default_scenario):
    data = {"title": "T", "scenario": scenario_record.scenario_id, "tables": 1, "weight_outcome": 50, "weight_joint": 50,
            "weight_alignment": 50}
    with translation.override("vi"):
        form = WorkshopForm(data, scenarios=[(scenario_record.scenario_id, default_scenario)])
        assert not form.is_valid()
        assert form.non_field_errors() == ["Tổng ba trọng số của bảng xếp hạng phải bằng 100%."]
        assert form.fields["session"].choices[1][1].endswith("phút")


def test_a_refused_attempt_says_when_to_try_again_in_vietnamese(scenario_record, settings):
    settings.THROTTLES = {**settings.THROTTLES, "join_lookup": {**settings.THROTTLES["join_lookup"], "limit": 1}}
    client = Client()
    client.get("/join/ABCDEF/", **VI)
    refused = client.get("/join/ABCDEF/", **VI)
    assert refused.status_code == 429
    assert re.search(r"Đã có quá nhiều lượt tra cứu mã tham gia từ địa chỉ này\. Vui lòng thử lại sau \d+ giây\.",
                     refused.content.decode())
    assert _english(refused) == []


def test_the_scripts_catalogue_is_served_from_this_server_in_the_persons_language():
    client = Client()
    vi = client.get("/jsi18n/", **VI)
    assert vi.status_code == 200 and vi["Content-Type"].startswith("text/javascript")
    accept = json.dumps("Chấp nhận đề xuất của phía đối tác")[1:-1]  # the catalogue is JSON in the script
    assert accept in vi.content.decode()
    assert accept not in client.get("/jsi18n/", **EN).content.decode()
    page = client.get("/join/", **VI)
    assert '<script src="/jsi18n/"></script>' in page.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_a_facilitators_pages_are_in_vietnamese_for_a_vietnamese_facilitator(scenario_record, django_user_model):
    lan = django_user_model.objects.create_user(username="lan")
    workshop = workshop_create(facilitator=lan, scenario_record=scenario_record, title="Hà Nội", tables=2, settings={})
    client = Client()
    client.force_login(lan)
    for url in ["/facilitator/", f"/facilitator/w/{workshop.code}/", f"/facilitator/w/{workshop.code}/packs/",
                f"/facilitator/w/{workshop.code}/debrief/", "/replays/"]:
        page = client.get(url, **VI)
        assert page.status_code == 200 and _lang(page) == "vi", url
        assert _english(page) == [], url
