"""Citations of the two kinds: a seed quote must be verbatim in the paragraph it names, and a
reference must say who published it, when and where, with the fact in the scenario's own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from game.scenario import ScenarioError, parse_scenario
from game.scenario.schema import Reference, SeedQuote
from game.scenario_files import DEFAULT_SCENARIO_PATH
from tests.scenario.test_validate_scenario import TINY_TEXT, edited, run, write

SEEDS_DIR = Path(DEFAULT_SCENARIO_PATH).resolve().parents[2] / "seeds"


def citations(node, where="scenario"):
    """Every citation in a scenario, with its place."""
    if isinstance(node, (SeedQuote, Reference)):
        yield where, node
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from citations(value, f"{where}[{i}]")
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from citations(getattr(node, name), f"{where}.{name}")


def paragraphs(seed_file: str) -> list[str]:
    """ "para N" is the N-th non-empty line of the seed file."""
    return [line for line in (SEEDS_DIR / seed_file).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_seed_quote_of_the_default_scenario_is_verbatim_in_the_paragraph_it_names(default_scenario):
    files = {s.id: paragraphs(s.file) for s in default_scenario.seeds}
    wrong = []
    for where, c in citations(default_scenario):
        if not isinstance(c, SeedQuote):
            continue
        if c.where is None:
            wrong.append(f"{where}: no paragraph reference")
            continue
        n = int(c.where.split()[1])
        if n > len(files[c.seed]) or c.quote not in files[c.seed][n - 1]:
            wrong.append(f"{where}: not verbatim in {c.seed} {c.where}: {c.quote[:60]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_default_scenario_cites_both_kinds_and_every_reference_is_complete(default_scenario):
    found = list(citations(default_scenario))
    refs = [c for _, c in found if isinstance(c, Reference)]
    assert refs and any(isinstance(c, SeedQuote) for _, c in found)
    for ref in refs:
        assert ref.outlet and ref.date and ref.url.startswith("https://") and ref.fact


def test_no_reference_copies_a_seed_sentence(default_scenario):
    """A reference gives a fact in the scenario's own words; a long run of a seed's words means a copy."""
    seed_text = " ".join(" ".join(paragraphs(s.file)) for s in default_scenario.seeds)
    words = re.findall(r"\w+", seed_text.lower())
    runs = {" ".join(words[i : i + 10]) for i in range(len(words) - 9)}
    for where, c in citations(default_scenario):
        if isinstance(c, Reference):
            fact = re.findall(r"\w+", c.fact.lower())
            copied = [" ".join(fact[i : i + 10]) for i in range(len(fact) - 9) if " ".join(fact[i : i + 10]) in runs]
            assert not copied, f"{where}: {copied[0]!r} is copied from a seed"


def test_the_known_misattributions_are_gone(default_scenario):
    s = default_scenario
    # Decree 73 is backed by a report of the decree, not by a sentence about updating the 2000 agreement.
    decree = s.deliverable("vn_tariff_decree").citation
    assert isinstance(decree, Reference) and "Decree 73" in decree.fact
    # The historical outcome is backed by the acts that set its terms.
    facts = " ".join(c.fact for c in s.historical_outcome.citations if isinstance(c, Reference))
    assert "20%" in facts and "40%" in facts and "50 Boeing" in facts
    # The 20% red lines are backed by what they claim, not by the "colony" remark or a sentence on GDP.
    for role_id in ("us_trade_adviser", "vn_exporters"):
        line = next(x for x in s.role(role_id).red_lines if x.issue == "us_tariff")
        text = line.citation.fact if isinstance(line.citation, Reference) else line.citation.quote
        assert "colony" not in text and "GDP" not in text


def reference_in_round_0(**fields):
    def change(d):
        d["rounds"][0]["citations"].append({"kind": "reference", **fields})

    return edited(change)


FULL = {"outlet": "The Example Times", "date": "3 May 2025", "url": "https://example.org/a", "fact": "Red and blue met on 3 May."}


def test_a_complete_reference_is_accepted(tmp_path):
    code, out, err = run(write(tmp_path, reference_in_round_0(**FULL)))
    assert code == 0, err


@pytest.mark.parametrize("missing", ["outlet", "date", "url"])
def test_a_reference_without_outlet_date_or_address_is_refused_with_its_line(tmp_path, missing):
    text = reference_in_round_0(**{k: v for k, v in FULL.items() if k != missing})
    code, _, err = run(write(tmp_path, text))
    assert code == 1
    assert f"rounds[0].citations[1].{missing}: is required but missing: a reference needs its {missing}" in err
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "kind: reference" in l)
    assert f"line {line}," in err


def test_a_reference_whose_address_is_not_a_web_address_is_refused(tmp_path):
    code, _, err = run(write(tmp_path, reference_in_round_0(**{**FULL, "url": "the Times, page 3"})))
    assert code == 1
    assert "rounds[0].citations[1].url: is not a web address" in err


def test_an_unknown_kind_and_a_bad_paragraph_reference_are_refused(tmp_path):
    def change(d):
        d["rounds"][0]["citations"].append({"kind": "book", "title": "A book"})
        d["issues"][0]["citation"]["where"] = "third paragraph"

    code, _, err = run(write(tmp_path, edited(change)))
    assert code == 1
    assert "rounds[0].citations[1]: kind must be seed_quote (seed, where, quote) or reference (outlet, date, url, fact)" in err
    assert 'issues[0].citation.where: must read "para N"' in err


def test_a_file_written_before_references_existed_still_loads():
    # tiny.yaml has citations without a kind or paragraph, and the outcome's single `citation`.
    data = yaml.safe_load(TINY_TEXT)
    assert "citation" in data["historical_outcome"]
    s = parse_scenario(data)
    assert all(isinstance(c, SeedQuote) for _, c in citations(s))
    assert len(s.historical_outcome.citations) == 1


def test_a_reference_written_without_its_kind_is_read_as_a_reference():
    def change(d):
        d["rounds"][0]["citations"].append(dict(FULL))

    s = parse_scenario(yaml.safe_load(edited(change)))
    assert isinstance(s.rounds[0].citations[1], Reference)
    with pytest.raises(ScenarioError):
        parse_scenario(yaml.safe_load(edited(lambda d: d["rounds"][0]["citations"].append({"outlet": "X"}))))


def test_a_file_written_before_references_existed_dumps_as_written_so_its_digest_holds():
    # Stored games and exported replays name a scenario by the digest of its dump: an old file's dump
    # must not gain fields it never had.
    data = yaml.safe_load(TINY_TEXT)
    dumped = parse_scenario(data).model_dump(mode="json")
    assert "kind" not in dumped["roles"][0]["citations"][0]
    assert "citation" in dumped["historical_outcome"] and "citations" not in dumped["historical_outcome"]
    assert parse_scenario(dumped) == parse_scenario(data)


def test_a_reference_and_an_outcome_with_several_citations_survive_a_dump():
    def change(d):
        d["rounds"][0]["citations"].append(dict(FULL, kind="reference"))
        d["historical_outcome"]["citations"] = [d["historical_outcome"].pop("citation"), dict(FULL, kind="reference")]

    s = parse_scenario(yaml.safe_load(edited(change)))
    dumped = s.model_dump(mode="json")
    assert dumped["rounds"][0]["citations"][1]["kind"] == "reference"
    assert len(dumped["historical_outcome"]["citations"]) == 2
    assert parse_scenario(dumped) == s
