"""Replaying every event of recorded bot games rebuilds the live states and scores exactly (no database)."""

from __future__ import annotations

import pytest

from game.engine import Event
from game.replays.charts import charts
from game.replays.document import ReplayError, build_document, fold_states, page_payload
from game.scoring import score_match


def test_the_recorded_games_are_long_and_varied(recorded):
    assert all(len(r.events) > 40 for r in recorded)
    assert {r.events[-1].data.get("result") for r in recorded} >= {"deal"}


def test_every_folded_state_equals_the_state_the_engine_produced_while_playing(default_scenario, recorded):
    for rec in recorded:
        live = dict(rec.live)  # seq of a move's last event -> the engine's state after that move
        seen = 0
        for event, state, _ in fold_states(default_scenario, rec.setup, rec.events):
            if event.seq in live:
                assert state.model_dump() == live[event.seq].model_dump(), f"seed {rec.seed}, event {event.seq}"
                seen += 1
        assert seen == len(rec.live)


def test_the_document_summarises_each_live_state(default_scenario, recorded):
    for rec in recorded:
        doc = build_document(default_scenario, rec.setup, rec.events)
        assert len(doc["states"]) == len(rec.events)
        for seq, live in rec.live:
            s = doc["states"][seq - 1]
            assert (s["v"], s["st"], s["r"], s["ph"], s["fl"]) == (live.version, live.status, live.round, live.phase, live.floor)
            assert s["ex"] == [live.exchanges_used, live.exchange_limit]
            assert s["agreed"] == sorted(live.agreed)
            assert s["offers"] == {o: v.status for o, v in live.offers.items() if v.status in ("open", "accepted")}
            for team, ts in live.teams.items():
                block = doc["blocks"][s["teams"][team]]
                assert block["standing"] == ts.standing_offer
                assert {d: c[0] for d, c in block["cards"].items()} == {d: c.status for d, c in ts.deliverables.items()}
                if ts.mandate is None:
                    assert block["mandate"] is None
                else:
                    assert block["mandate"]["v"] == ts.mandate.version
                    assert block["mandate"]["issues"] == {i: [w["target"], w["walkaway"]] for i, w in ts.mandate.issues.items()}
        assert doc["_state"].model_dump() == rec.live[-1][1].model_dump()


def test_the_scores_shown_step_by_step_end_on_the_debriefs_score(default_scenario, recorded):
    for rec in recorded:
        doc = build_document(default_scenario, rec.setup, rec.events)
        full = score_match(default_scenario, rec.events)
        last = doc["scores"][doc["states"][-1]["sc"]]
        assert last["idx"] == {t: full.alignment[t].index for t in ("us", "vn")}
        assert last["pen"] == {t: full.alignment[t].backpedal_penalty for t in ("us", "vn")}
        # The same notes, their reasons in the reader's language (English here).
        assert doc["annotations"] == [{**a.model_dump(mode="json"), "reason": str(a.reason)} for a in full.annotations]
        assert doc["final"]["index"] == {t: full.alignment[t].index for t in ("us", "vn")}
        assert doc["final"]["points"] == {t: full.outcome[t].points for t in ("us", "vn")}
        assert doc["_score"] == full


def test_each_annotation_sits_on_its_move_and_bot_reasons_are_kept(default_scenario, recorded):
    rec = recorded[0]
    doc = build_document(default_scenario, rec.setup, rec.events)
    by_seq = {e["seq"]: e for e in doc["events"]}
    for a in doc["annotations"]:
        assert a["id"] in by_seq[a["seq"]]["marks"]
        assert a["id"] in by_seq[a["scored_at"]]["scored"]
        assert a["reason"] and a["citation"]["quote"]
    noted = [e for e in doc["events"] if e["note"]]
    assert len(noted) > len(doc["events"]) // 2  # bots state a reason for their moves
    assert any(e["private"] for e in doc["events"]) and {e["team"] for e in doc["events"] if e["private"]} == {"us", "vn"}


def test_charts_are_inline_svg_with_frontier_nash_history_and_offers(default_scenario, recorded):
    doc = page_payload(build_document(default_scenario, recorded[0].setup, recorded[0].events))
    svg = charts(doc)
    assert set(svg) == {"concessions", "index", "pareto"}
    assert all(s.startswith("<svg") and "http" not in s.replace("http://www.w3.org", "") for s in svg.values())
    assert "Pareto frontier" in svg["pareto"] and "Nash point" in svg["pareto"] and "rp-hist" in svg["pareto"]
    assert svg["concessions"].count("data-seq") >= 2 * len(doc["offers"])


def test_a_backpedal_is_marked_on_the_concession_chart(default_scenario, recorded):
    # The bots never backpedal (docs/bots.md), so mark one of their offers as a worse offer by hand.
    doc = page_payload(build_document(default_scenario, recorded[0].setup, recorded[0].events))
    assert "rp-backpedal" not in charts(doc)["concessions"]
    offer = next(iter(doc["offers"].values()))
    doc["annotations"].append({**doc["annotations"][0], "seq": offer["seq"], "rule": "backpedal.worse_offer"})
    assert f'class="rp-backpedal" data-seq="{offer["seq"]}"' in charts(doc)["concessions"]


def test_a_broken_log_is_refused_with_the_event_that_breaks_it(default_scenario, recorded):
    rec = recorded[0]
    events = list(rec.events)
    with pytest.raises(ReplayError, match="out of sequence"):
        build_document(default_scenario, rec.setup, events[:5] + events[6:])
    bad = Event(**{**events[20].model_dump(), "type": "no_such_event"})
    with pytest.raises(ReplayError, match="cannot be folded") as caught:
        build_document(default_scenario, rec.setup, events[:20] + [bad] + events[21:])
    assert caught.value.seq == bad.seq
