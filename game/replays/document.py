"""The replay document: a finished match rebuilt from its log, once, as plain JSON for the page.

No I/O: scenario + setup + events in, one dict out, its words (timeline lines, score notes, marks,
phases) in the active language. The page embeds it with `json_script` and static/js/replay.js steps
through it in the browser; nothing is recomputed there.

    doc = build_document(scenario, setup, events)
    doc["events"][i]    # the i-th event, described, with its bot note and the ids of its annotations
    doc["states"][i]    # the state after events[i]: round, phase, floor, offers, mandates, cards, scores
    doc["initial"]      # the state before the first event
    doc["blocks"][k], doc["scores"][k]   # interned team blocks and score snapshots the states point to

One `Scorer` reads the log, one `feed` per event: its state is the engine's fold of the log (ONE
state, folded in place, no deep copy per event), summarised after each event, and its alignment
index (`Scorer.alignment`) is the score shown at that step. Team blocks (mandate, endorsements,
cards) repeat for long stretches, so they are interned: a state names a block by its index in
`doc["blocks"]`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext

from game.engine import PHASE_TITLES, Event, MatchSetup, MatchState, new_state
from game.engine.facts import PACING_EVENTS, not_endorsed
from game.scenario import Scenario
from game.scenario.text import Local
from game.scoring import Annotation, Scorer, joint_space
from game.web import notes
from game.web.describe import describe
from game.web.said import said

FORMAT = 1


class ReplayError(ValueError):
    """The log cannot be replayed: which event, and why."""

    def __init__(self, message: str, *, seq: int | None = None):
        self.seq = seq
        super().__init__(message)


def _title(scenario: Scenario, seat: str | None) -> Local | str:
    if seat == "facilitator":
        return gettext("Facilitator")
    if seat == "system":
        return gettext("Clock")
    try:
        return scenario.role(seat).title
    except (StopIteration, KeyError):
        return seat or ""


def describe_event(scenario: Scenario, e: Event) -> str:
    """One line of plain English for the timeline, in the pages' own words."""
    return describe(scenario, e, short=True)


def _team_block(scenario: Scenario, state: MatchState, team: str) -> dict[str, Any]:
    ts = state.teams[team]
    mandate = None
    if ts.mandate is not None:
        stances = {
            seat: ("yes" if s.endorse else "no", said(s.reason))  # a bot's objection is a sentence: in the reader's language
            for seat, s in ts.stances.items() if s.version == ts.mandate.version
        }
        mandate = {
            "v": ts.mandate.version, "round": ts.mandate.round, "by": ts.mandate.drafted_by,
            "issues": {i: [w["target"], w["walkaway"]] for i, w in ts.mandate.issues.items()},
            "stances": {seat: list(v) for seat, v in stances.items()},
            "endorsed": not not_endorsed(scenario, state, team),
        }
    return {
        "mandate": mandate,
        "cards": {d: [s.status, s.shown, list(s.signed_by)] for d, s in ts.deliverables.items()},
        "speaker": ts.speaker_level,
        "esc": ts.escalations_left,
        "standing": ts.standing_offer,
    }


def fold_states(scenario: Scenario, setup: MatchSetup, events: Sequence[Event], scorer: Scorer | None = None) -> Iterator[tuple[Event, MatchState, list[Annotation]]]:
    """(event, the state right after it, the annotations it earned) for every event. The state is the
    scorer's own, folded in place by the engine as the scorer reads each event: read it before the
    next step. Raises ReplayError for an event out of sequence or one the engine cannot fold."""
    scorer = scorer or Scorer(scenario, setup=setup)
    expected = 1
    for e in events:
        if e.seq != expected:
            raise ReplayError(f"event {e.seq} is out of sequence: expected event {expected}", seq=e.seq)
        expected += 1
        try:
            new = scorer.feed(e)
        except Exception as exc:  # the log is not a game the engine could produce
            raise ReplayError(f"event {e.seq} ({e.type}) cannot be folded: {exc}", seq=e.seq) from None
        yield e, scorer.state, new


def build_document(
    scenario: Scenario,
    setup: MatchSetup,
    events: Sequence[Event],
    *,
    describe: Callable[[Scenario, Event], str] = describe_event,
) -> dict[str, Any]:
    """Rebuild every step of the match from its log. Raises ReplayError if the log does not fold."""
    teams = scenario.team_ids()
    space = joint_space(scenario)
    scorer = Scorer(scenario, setup=setup)
    state = scorer.state  # folded in place as the events come

    blocks: list[dict[str, Any]] = []
    block_ids: dict[Any, int] = {}

    def intern(st: MatchState, team: str) -> int:
        # Keyed on a cheap tuple of what the block shows; the block itself is built once per new key.
        ts = st.teams[team]
        m = ts.mandate
        key = (
            team,
            (m.version, m.round, m.drafted_by, tuple((i, w["target"], w["walkaway"]) for i, w in m.issues.items())) if m else None,
            tuple((seat, x.endorse, str(x.reason), x.version) for seat, x in ts.stances.items()),
            tuple((d, c.status, c.shown, tuple(c.signed_by)) for d, c in ts.deliverables.items()),
            ts.speaker_level, ts.escalations_left, ts.standing_offer,
        )
        found = block_ids.get(key)
        if found is None:
            block = _team_block(scenario, st, team)
            text = json.dumps(block, sort_keys=True, separators=(",", ":"))
            found = block_ids.get(text)  # two keys can show the same block (e.g. stances on an older draft)
            if found is None:
                found = len(blocks)
                blocks.append(block)
                block_ids[text] = found
            block_ids[key] = found
        return found

    offers: dict[str, dict[str, Any]] = {}
    scores: list[dict[str, Any]] = []
    score_key: list[Any] = [None]

    def intern_score() -> int:
        # A new entry only when an annotation moved something (scores stay put for most events).
        key = len(scorer.annotations)
        if key != score_key[0]:
            score_key[0] = key
            alignment = {t: scorer.alignment(t) for t in teams}
            scores.append({
                "idx": {t: a.index for t, a in alignment.items()},
                "sub": {t: a.subscores for t, a in alignment.items()},
                "pen": {t: a.backpedal_penalty for t, a in alignment.items()},
            })
        return len(scores) - 1

    def summary(st: MatchState) -> dict[str, Any]:
        for oid, o in st.offers.items():
            if oid not in offers:
                a, b = space.points_of(o.package)
                offers[oid] = {
                    "id": oid, "team": o.team, "by": o.by, "seq": o.seq, "round": o.round,
                    "package": dict(o.package), "pts": {teams[0]: a, teams[1]: b},
                }
        return {
            "v": st.version, "st": st.status, "r": st.round, "ph": st.phase, "fl": st.floor,
            "ex": [st.exchanges_used, st.exchange_limit],
            "teams": {t: intern(st, t) for t in teams},
            "offers": {oid: o.status for oid, o in st.offers.items() if o.status in ("open", "accepted")},
            "agreed": sorted(st.agreed),
            "injects": list(st.injects),
            "result": st.result.model_dump(mode="json") if st.result else None,
            "sc": intern_score(),
        }

    initial = summary(new_state(scenario, setup))
    out_events: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    marks_at: dict[int, list[int]] = {}
    for e, state, new in fold_states(scenario, setup, events, scorer):
        for a in new:
            annotations.append(notes.note(a))
            marks_at.setdefault(a.seq, []).append(a.id)
        note = e.data.get("note") if isinstance(e.data, dict) else None
        details = e.data.get("details") if isinstance(e.data, dict) else None
        out_events.append({
            "seq": e.seq, "type": e.type, "actor": e.actor, "who": gettext("Game") if e.type in PACING_EVENTS else _title(scenario, e.actor),
            "team": None if e.type in PACING_EVENTS else e.team,
            "private": e.visibility != "public", "vis": e.visibility, "round": e.round, "phase": e.phase,
            "at": e.at, "text": describe(scenario, e), "note": said(note) or None,
            "details": said(details) or None,
            "scored": [a.id for a in new],
        })
        states.append(summary(state))
    for ev in out_events:
        ev["marks"] = marks_at.get(ev["seq"], [])

    final = scorer.score()
    result = state.result.model_dump(mode="json") if state.result else None
    hist = scenario.historical_outcome
    return {
        "format": FORMAT,
        "scenario": {"id": scenario.id, "version": scenario.version, "title": scenario.title},
        "teams": [
            {"id": t.id, "name": t.name, "short": t.short, "cls": f"t{i}", "batna": t.batna, "batna_label": t.batna_label}
            for i, t in enumerate(scenario.teams)
        ],
        "roles": {r.id: {"title": r.title, "team": r.team, "level": r.level} for r in scenario.roles},
        "issues": [{"id": i.id, "title": i.title, "options": {o.id: o.label for o in i.options}} for i in scenario.issues],
        "cards": {d.id: {"title": d.title, "team": d.team, "kind": d.kind} for d in scenario.deliverables},
        "injects": {i.id: i.title for i in scenario.injects},
        "marks": notes.mark_words(),
        "rules": notes.rule_titles(),
        "dimensions": {d["id"]: {"title": d["title"], "short": d["short"]} for d in notes.dimensions()},
        "phases": {phase: gettext(title) for phase, title in PHASE_TITLES.items()},
        "initial": initial,
        "events": out_events,
        "states": states,
        "blocks": blocks,
        "scores": scores,
        "offers": offers,
        "annotations": annotations,
        "final": {
            "status": state.status, "result": result, "version": state.version,
            "index": {t: final.alignment[t].index for t in teams},
            "points": {t: final.outcome[t].points for t in teams},
            "advantage": {t: final.outcome[t].advantage for t in teams},
            "below_batna": {t: final.outcome[t].below_batna for t in teams},
            "leaderboard": {t: final.leaderboard[t].score for t in teams},
            "deal": final.joint.deal.model_dump(mode="json") if final.joint.deal else None,
            "historical": final.joint.historical.model_dump(mode="json") if final.joint.historical else None,
            "historical_label": hist.label if hist else None,
            "nash": final.joint.nash.points if final.joint.nash else None,
            "nash_points": [p.points for p in final.joint.nash_points],
            "red_line_frontier": final.joint.red_line_frontier,
            "best_joint": final.joint.best_joint,
            "frontier": final.joint.frontier,
        },
        "_state": state,  # the folded final state (dropped before the page sees it)
        "_score": final,
    }


def page_payload(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without the Python objects, for json_script: the case's texts (`Local`s) in the
    active language."""
    return said({k: v for k, v in doc.items() if not k.startswith("_")})
