"""The bot against outsiders: the reference opponents, the tournament's figures and its command."""

from __future__ import annotations

import io
import json

import pytest

from game.bots import play_game
from game.bots.reference import REFERENCE_OPPONENTS
from game.bots.space import space_of
from game.bots.tournament import Pairing, measure, soundness_failures, tournament
from game.scenario_files import default_scenario

DEFAULT = default_scenario()


@pytest.mark.parametrize("opponent", sorted(REFERENCE_OPPONENTS))
def test_every_reference_opponent_plays_a_whole_legal_game_and_never_deals_below_its_batna(opponent):
    events = play_game(DEFAULT, {"us": "us_pragmatic", "vn": opponent}, seed=3)
    assert events[-1].type == "game_ended"
    deal = next((e for e in events if e.type == "deal_reached"), None)
    if deal is not None:
        space = space_of(DEFAULT)
        assert space.value("vn", space.choice(deal.data["package"])) >= DEFAULT.team("vn").batna


def test_the_hardliner_never_moves_and_no_deal_is_reached():
    events = play_game(DEFAULT, {"us": "us_dealseeker", "vn": "hardliner"}, seed=1)
    packages = {tuple(sorted(e.data["package"].items())) for e in events if e.type == "offer_proposed" and e.team == "vn"}
    assert len(packages) == 1
    assert not any(e.type == "deal_reached" for e in events)


def test_time_based_opponents_concede_at_their_own_pace():
    space = space_of(DEFAULT)

    def first_and_last(opponent):
        events = play_game(DEFAULT, {"us": "us_hardline", "vn": opponent}, seed=2)
        values = [space.value("vn", space.choice(e.data["package"])) for e in events if e.type == "offer_proposed" and e.team == "vn"]
        return values[0], values[len(values) // 2]

    boulware, conceder = first_and_last("boulware"), first_and_last("conceder")
    assert boulware[0] >= 95 and conceder[0] >= 95  # both open near their ideal
    assert boulware[1] > conceder[1]  # by mid-game the Boulware agent still asks for more


def test_measure_counts_a_backpedal_by_the_bot_from_the_log():
    events = play_game(DEFAULT, {"us": "us_pragmatic", "vn": "linear"}, seed=5)
    pairing = Pairing("us_pragmatic", "us", "linear", "linear")
    offers = [n for n, e in enumerate(events) if e.type == "offer_proposed" and e.team == "us"]
    assert len(offers) >= 3
    # The bot's last offer replaced by its first (which asked more of Vietnam than the ones between).
    first, last = events[offers[0]], events[offers[-1]]
    retreat = last.model_copy(update={"data": {**last.data, "package": dict(first.data["package"])}})
    changed = [*events[: offers[-1]], retreat, *events[offers[-1] + 1:]]
    assert measure(DEFAULT, pairing, events, 5).backpedals == 0
    assert measure(DEFAULT, pairing, changed, 5).backpedals == 1
    assert measure(DEFAULT, pairing, changed, 5).dominated_offers == 0  # better for the bot: not dominated


def test_a_tournament_row_per_pairing_with_self_play_as_one_row_among_many():
    report = tournament(DEFAULT, games=1, seed=1, persona_ids=["us_hardline"], opponents=["conceder", "hardliner", "self"])
    assert [r.opponent for r in report.rows] == ["conceder", "hardliner", "self (vn_hardline)"]
    hard = report.rows[1]
    assert hard.agreements == 0 and hard.points == {"bot": 30.0, "opponent": 28.0}
    assert report.rows[0].distance_to_nash is not None


django = pytest.importorskip("django")
from django.core.management import CommandError, call_command  # noqa: E402


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("tournament", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_tournament_command_prints_the_table_and_json():
    out, err = run("--games", "1", "--seed", "2", "--persona", "vn_pragmatic", "--opponent", "linear", "--opponent", "tit_for_tat")
    assert "vn_pragmatic" in out and "tit_for_tat" in out and "chances" in out
    assert "2/2 pairings" in err
    data = json.loads(run("--games", "1", "--seed", "2", "--persona", "vn_pragmatic", "--opponent", "linear", "--json")[0])
    assert [(r["persona"], r["opponent"]) for r in data["rows"]] == [("vn_pragmatic", "linear")]
    assert set(data["rows"][0]) >= {"agreement_rate", "points", "distance_to_frontier", "distance_to_nash", "backpedals", "deals_below_batna"}


@pytest.mark.parametrize("flag,name,valid", [("--persona", "us_bogus", "us_hardline"), ("--opponent", "micro", "boulware")])
def test_tournament_command_refuses_an_unknown_name_with_the_valid_ones(flag, name, valid):
    with pytest.raises(CommandError, match=f"unknown '{name}'") as exc:
        run("--games", "1", flag, name)
    assert valid in str(exc.value)


def test_tournament_command_exits_1_on_an_unknown_opponent():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "manage.py", "tournament", "--games", "1", "--opponent", "micro"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "boulware" in done.stderr and "hardliner" in done.stderr


def test_fast_tournament_the_bot_is_sound_against_every_reference_opponent():
    report = tournament(DEFAULT, games=2, seed=11)
    rows = [r for r in report.rows if not r.opponent.startswith("self")]
    assert sum(r.deals_below_batna for r in report.rows) == 0
    assert sum(r.backpedals + r.dominated_offers for r in report.rows) == 0
    assert all(r.chance_agreement_rate is None or r.chance_agreement_rate >= 0.95 for r in report.rows)
    assert sum(r.chances for r in rows)  # the promise on agreement was put to the test
    assert all(r.agreements == 0 for r in rows if r.opponent == "hardliner")  # nothing to agree on with a wall


MOVING = ["boulware", "linear", "conceder", "tit_for_tat", "random_acceptor"]


def test_the_hard_persona_scores_at_least_as_much_as_the_medium_one_against_every_opponent():
    # A mean over games, so it needs more than two of them: against the random acceptor one unlucky
    # coin in two games decides the comparison.
    personas = ["us_hardline", "us_pragmatic", "vn_hardline", "vn_pragmatic"]
    report = tournament(DEFAULT, games=6, seed=11, persona_ids=personas, opponents=MOVING)
    assert soundness_failures(report) == []
    by = {(r.persona, r.opponent): r for r in report.rows}
    for team in ("us", "vn"):
        for opponent in MOVING:
            hard, medium = by[(f"{team}_hardline", opponent)], by[(f"{team}_pragmatic", opponent)]
            assert hard.agreements and medium.agreements
            assert hard.points["bot"] >= medium.points["bot"], (team, opponent)
