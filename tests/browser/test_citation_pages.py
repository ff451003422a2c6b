"""Where the debrief states a fact of the real talks, it names the sources a trainer can check."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import _finished_practice, _with_seat, record  # noqa: F401 (record is a fixture)

pytestmark = pytest.mark.django_db


def test_the_debrief_names_the_acts_behind_the_historical_outcome_with_outlet_date_and_link(client, record):  # noqa: F811
    match, token = _finished_practice(record)
    _with_seat(client, match.pk, token)
    html = client.get(f"/play/{match.public_id}/debrief/").content.decode()
    para = re.search(r'<p class="small muted" id="historical">(.*?)</p>', html, re.S).group(1)
    assert "What the real negotiators got:" in para
    for outlet, date, address in (
        ("CGTN", "3 Jul 2025", "https://news.cgtn.com/"),
        ("The White House", "31 Jul 2025", "https://www.whitehouse.gov/"),
        ("People&#x27;s Army Newspaper (Quan Doi Nhan Dan)", "26 Oct 2025", "https://en.qdnd.vn/"),
    ):
        assert re.search(rf'<a href="{re.escape(address)}[^"]*" target="_blank" rel="noopener noreferrer" title="[^"]+">{re.escape(outlet)}</a> \({date}\)', para), outlet
