"""A Content Security Policy with no inline script: every page is served with it, and no template
holds an inline script, an inline event handler or a javascript: URL (JSON data blocks are data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def _inline_scripts(html: str) -> list[str]:
    return [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" not in attrs and "application/json" not in attrs]


def test_no_template_has_inline_script_handlers_or_javascript_urls():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        if _inline_scripts(text) or HANDLER.search(text) or "javascript:" in text.lower():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_pages_carry_a_policy_that_forbids_inline_script(default_scenario):
    from game.services import scenario_load

    scenario_load(scenario=default_scenario)
    client = Client()
    for path in ("/", "/practice/", "/join/", "/facilitator/login/", "/facilitator/signup/", "/replays/", "/seeds/redbear_alignment/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'", policy
        assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy
        assert _inline_scripts(response.content.decode()) == [], path
