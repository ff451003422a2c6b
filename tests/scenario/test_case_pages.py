"""Each trainee reads the case in their own language: the practice set-up, the table page's brief and
the case its script is sent, the role packs; an English reader reads the same pages in English."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils.html import escape

from game.services import scenario_load, workshop_create

pytestmark = pytest.mark.django_db

VI = {"HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
TRADE_VI = "Bộ trưởng Bộ Công Thương, Trưởng đoàn đàm phán"
TRADE_EN = "Minister of Industry and Trade, head of the negotiating team"


@pytest.fixture
def record(default_scenario):
    return scenario_load(scenario=default_scenario)[0]


def _practice_table(client: Client, record, headers) -> str:
    answer = client.post("/practice/", {"scenario": record.scenario_id, "team": "vn", "role_id": "vn_trade", "persona": "us_pragmatic"}, **headers)
    assert answer.status_code == 302, answer.content.decode()[:800]
    return client.get(answer["Location"], **headers).content.decode()


def _config(html: str) -> dict:
    return json.loads(re.search(r'<script id="table-config" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_the_practice_set_up_shows_the_roles_in_the_readers_language(record):
    vi = Client().get("/practice/", **VI).content.decode()
    en = Client().get("/practice/", **EN).content.decode()
    assert TRADE_VI in vi and "Nguyễn Hồng Diên" in vi and TRADE_EN not in vi
    assert TRADE_EN in en and "Nguyen Hong Dien" in en and TRADE_VI not in en
    assert "Nếu không đạt thỏa thuận: mức thuế đối ứng 46%" in vi and "tariff on Vietnamese exports takes effect" in en


def test_the_table_page_gives_the_brief_and_the_case_in_the_readers_language(record, default_scenario):
    brief = default_scenario.role("vn_trade").brief
    vi = _practice_table(Client(), record, VI)
    assert TRADE_VI in vi and escape(brief.vi) in vi and escape(brief.en) not in vi
    case = _config(vi)["scenario"]
    assert next(r for r in case["roles"] if r["id"] == "vn_trade")["title"] == TRADE_VI
    assert case["issues"][0]["title"] == default_scenario.issues[0].title.vi
    assert [t["name"] for t in case["teams"]] == ["Hoa Kỳ", "Việt Nam"]
    # Citations are quoted as written, whatever the reader's language.
    assert case["issues"][0]["citation"]["quote"] == default_scenario.issues[0].citation.quote

    en = _practice_table(Client(), record, EN)
    assert TRADE_EN in en and escape(brief.en) in en and escape(brief.vi) not in en
    assert next(r for r in _config(en)["scenario"]["roles"] if r["id"] == "vn_trade")["title"] == TRADE_EN


def test_a_workshop_mixes_languages_on_the_join_page_and_the_role_packs(record, django_user_model):
    fran = django_user_model.objects.create_user(username="fran")
    workshop = workshop_create(facilitator=fran, scenario_record=record, title="Hà Nội", tables=1, settings={})
    assert TRADE_VI in Client().get(f"/join/{workshop.code}/", **VI).content.decode()
    assert TRADE_EN in Client().get(f"/join/{workshop.code}/", **EN).content.decode()
    client = Client()
    client.force_login(fran)
    packs = client.get(f"/facilitator/w/{workshop.code}/packs/", **VI)
    assert packs.status_code == 200 and TRADE_VI in packs.content.decode()
    assert "Thủ tướng giao anh/chị đứng đầu đoàn đàm phán đặc biệt" in packs.content.decode()
