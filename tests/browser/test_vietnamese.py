"""The trainee's path in Vietnamese: practice from a Vietnamese browser (Accept-Language), and a workshop
joined after choosing "Tiếng Việt" on the switch. No English interface message (a message id of the
catalogues whose translation differs) may show on these pages, at either size a trainee uses; the
layout audit checks that the longer Vietnamese still fits."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.browser.layout import SIZES, Audit
from tests.browser.pages import Table, create_workshop, sign_up
from tests.i18n.untranslated import english_found

VIETNAMESE_BROWSER = {"Accept-Language": "vi-VN,vi;q=0.9"}
# What the bots say at the table, in Vietnamese: a probe's question, the team's voice, a card shown.
BOTS_AT_THE_TABLE = ("quý vị còn dư địa đến đâu về", "đoàn chúng tôi có chung một tiếng nói", "đã được chuẩn bị và sẵn sàng ký",
                     "Điều này không làm thay đổi cam kết của chúng tôi")

# The visible text of the page, element by element and line by line, with the inputs' placeholders.
VISIBLE_TEXT = """() => {
  const pieces = document.body.innerText.split('\\n');
  for (const el of document.body.querySelectorAll('*')) {
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) continue;
    const text = el.innerText;
    if (text && text.length < 600) pieces.push(text, ...text.split('\\n'));
    if (el.placeholder) pieces.push(el.placeholder);
  }
  return pieces;
}"""


def english_at_both_sizes(page: Page, name: str) -> list[str]:
    found = []
    original = page.viewport_size
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        found += [f"{name} ({size}): {msgid!r} in {text!r}" for msgid, text in english_found(page.evaluate(VISIBLE_TEXT))]
    page.set_viewport_size(original)
    return found


def test_practice_from_a_vietnamese_browser_is_in_vietnamese_throughout(new_page, screenshots):
    page = new_page()
    page.set_extra_http_headers(VIETNAMESE_BROWSER)
    audit, english = Audit(screenshots), []
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    english += english_at_both_sizes(page, "start page")
    audit(page, "vi-start")
    page.get_by_role("link", name="Luyện tập với bot").first.click()
    expect(page.get_by_role("heading", name="Luyện tập với bot")).to_be_visible()
    expect(page.locator("#setup-summary")).to_contain_text("đối thủ:")  # the page's script speaks Vietnamese too
    english += english_at_both_sizes(page, "practice set-up")
    audit(page, "vi-practice")
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.locator("#sb-conn")).to_have_text("Trực tuyến")
    expect(page.locator("#floor")).to_contain_text("Tóm tắt tình hình")
    english += english_at_both_sizes(page, "table")
    audit(page, "vi-practice-table", role_title=True)
    # Played to the end with the bots: the debrief's notes, marks and the bots' reasons are Vietnamese too.
    table = Table(page)
    deadline = time.monotonic() + 90
    while table.state()["status"] != "finished":
        assert time.monotonic() < deadline, f"the practice game did not finish: {table.state()}"
        table.advance()
        table.settle(quiet=0.2, limit=2)
    # The bots spoke at the table (statements, shown strength, probes): their words are Vietnamese too.
    timeline = " ".join(page.locator(".tl__text").all_inner_texts())
    assert any(words in timeline for words in BOTS_AT_THE_TABLE), timeline[:2000]
    english += english_at_both_sizes(page, "table (the bots have spoken)")
    audit(page, "vi-practice-table-spoken", role_title=True)
    page.locator("a[href*='/debrief/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diễn biến cuộc đàm phán")
    english += english_at_both_sizes(page, "debrief")
    audit(page, "vi-debrief")
    assert not english, "English on a Vietnamese page:\n" + "\n".join(english)
    audit.assert_clean()


def test_a_trainee_chooses_vietnamese_and_joins_a_workshop_in_it(new_page, screenshots):
    fac = new_page()
    sign_up(fac, "lan")
    code = create_workshop(fac, "Hà Nội, khóa 1")

    trainee = new_page()  # an English browser: the switch, not Accept-Language, makes this page Vietnamese
    trainee.goto("/")
    expect(trainee.locator("html")).to_have_attribute("lang", "en")
    trainee.get_by_role("button", name="Tiếng Việt").click()
    expect(trainee.locator("html")).to_have_attribute("lang", "vi")
    expect(trainee.get_by_role("button", name="Tiếng Việt")).to_have_attribute("aria-pressed", "true")
    audit, english = Audit(screenshots), []
    trainee.get_by_label("Mã buổi tập huấn").fill(code.lower())
    trainee.get_by_role("button", name="Tham gia").click()
    expect(trainee.get_by_role("heading", name="Hà Nội, khóa 1")).to_be_visible()
    english += english_at_both_sizes(trainee, "join page")
    audit(trainee, "vi-join")
    trainee.get_by_label("Tên của anh/chị").fill("Lan")
    trainee.get_by_role("button", name="Nhận vị trí").click()
    expect(trainee.locator("#sb-conn")).to_have_text("Trực tuyến")
    expect(trainee.locator("#banner")).to_contain_text("Đang chờ người điều phối bắt đầu ván đàm phán.")
    english += english_at_both_sizes(trainee, "table (lobby)")
    audit(trainee, "vi-table", role_title=True)
    # The facilitator's console stays in English: the choice is per person.
    expect(fac.locator("html")).to_have_attribute("lang", "en")
    expect(fac.locator(".tcard")).to_contain_text("Lan")
    assert not english, "English on a Vietnamese page:\n" + "\n".join(english)
    audit.assert_clean()


def test_a_replay_read_in_vietnamese_shows_its_score_notes_in_vietnamese(new_page, server, server_env, tmp_path, screenshots):
    """The replay's notes, marks and charts are drawn by its script: a scripted game (people's moves, so
    no bot's words) imported and shared, stepped to its first marked move in a Vietnamese browser."""
    import json
    import re

    from game.engine import MatchSetup
    from game.replays.exchange import file_document
    from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file
    from game.services import scenario_digest
    from tests.browser.test_replay import _manage
    from tests.engine.scripts import play_to_deal

    scenario = load_scenario_file(DEFAULT_SCENARIO_PATH)
    script = play_to_deal(scenario)
    setup = MatchSetup(scenario_id=scenario.id, scenario_version=scenario.version)
    path = tmp_path / "replay.json"
    path.write_text(json.dumps(file_document(
        scenario, digest=scenario_digest(scenario), title=str(scenario.title), setup=setup, events=script.events,
        match_info={"label": "Hà Nội", "mode": "practice", "source_match_id": 1, "table_no": None})))
    share_url = re.search(r"share link: (\S+)", _manage(server_env, "import_replay", str(path), "--share", "--base-url", server)).group(1)

    page = new_page()
    page.set_extra_http_headers(VIETNAMESE_BROWSER)
    page.goto(share_url)
    page.wait_for_selector("body[data-replay-ready='1']")
    data = json.loads(page.inner_text("#replay-data"))
    first_marked = next(i for i, e in enumerate(data["events"], start=1) if e["marks"])
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(first_marked):
        page.keyboard.press("ArrowRight")
    note = data["annotations"][data["events"][first_marked - 1]["marks"][0]]
    expect(page.locator("#rp-now")).to_contain_text(note["reason"])
    assert re.search(r"[đơưạảấầậắẳặẹẻếềểệịọỏốồổộớờởợụủứừửựỳ]", note["reason"], re.I), note["reason"]  # a Vietnamese sentence
    english = english_at_both_sizes(page, "replay")
    assert not english, "English on a Vietnamese page:\n" + "\n".join(english)
