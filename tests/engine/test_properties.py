"""Invariants over random move sequences: refused moves change nothing, the log rebuilds the state."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import FACILITATOR, SYSTEM, MatchSetup, MatchState, MoveError, apply_move, new_state, parse_move, replay, replay_onto
from game.engine import move_options
from game.engine.apply import _guard
from game.engine.moves import ALL_KINDS, PACING_KINDS, PLAYER_KINDS
from game.scenario_files import load_scenario_file
from tests.conftest import FIXTURES

TINY = load_scenario_file(FIXTURES / "tiny.yaml")
ISSUES = TINY.issue_ids()
OPTIONS = {i.id: i.option_ids() for i in TINY.issues}
ROLE_SEATS = [r.id for r in TINY.roles]
SEATS = ROLE_SEATS + [FACILITATOR, SYSTEM, "intruder"]
# Weighted so that random games get past the caucus and reach the table and its end.
KINDS = sorted(ALL_KINDS - {"end"}) + ["advance"] * 9 + ["propose"] * 6 + ["accept"] * 3 + ["reject"] * 2 + ["draft_mandate", "endorse_mandate"] * 2
STANDING = "o0"  # stands for "the other team's offer on the table", resolved when the move is played


@st.composite
def packages(draw):
    return {i: draw(st.sampled_from(OPTIONS[i])) for i in ISSUES}


@st.composite
def raw_moves(draw):
    kind = draw(st.sampled_from(KINDS))
    issue = draw(st.sampled_from(ISSUES + ["nowhere"]))
    offer = draw(st.sampled_from([STANDING] * 4 + ["o1", "o17"]))
    text = draw(st.sampled_from(["We hear you.", "x" * 20, "Let us be concrete."]))
    deliverable = draw(st.sampled_from([d.id for d in TINY.deliverables] + ["nothing"]))
    args = {
        "state_priorities": {"priorities": {issue: draw(st.integers(1, 5))}},
        "draft_mandate": {"issues": {i: {"target": draw(st.sampled_from(OPTIONS[i])), "walkaway": draw(st.sampled_from(OPTIONS[i]))} for i in ISSUES}},
        "endorse_mandate": {"version": draw(st.integers(1, 3))},
        "object_mandate": {"version": draw(st.integers(1, 3)), "reason": "it breaks our red line"},
        "prepare_deliverable": {"deliverable": deliverable},
        "choose_speaker": {"level": draw(st.sampled_from(["leader", "minister", "technical"]))},
        "team_chat": {"text": text},
        "propose": {"package": draw(packages())},
        "accept": {"offer": offer},
        "reject": {"offer": offer, "reason": "not enough for us"},
        "commit_deliverable": {"deliverable": deliverable},
        "show_capability": {"deliverable": draw(st.sampled_from([None, deliverable])), "text": text},
        "probe": {"issue": issue, "question": "What matters?"},
        "statement": {"text": text},
        "recess": {"reason": "circle back"},
        "withdraw": {"offer": offer},
        "extend": {"seconds": draw(st.integers(0, 30)), "exchanges": draw(st.integers(0, 2))},
        "push_inject": {"inject": draw(st.sampled_from(["shock", "nothing"]))},
        "end": {"reason": "time"},
    }.get(kind, {})
    if draw(st.integers(0, 9)) == 0:
        seat = draw(st.sampled_from(SEATS))  # sometimes anybody, to exercise the seat guards
    elif kind in {"tick"}:
        seat = SYSTEM
    elif kind in {"start", "pause", "resume", "extend", "advance", "push_inject", "end"}:
        seat = FACILITATOR
    else:
        seat = draw(st.sampled_from(ROLE_SEATS))
    return seat, {"kind": kind, **args}, draw(st.integers(0, 60))


def _resolve(state: MatchState, seat: str, raw: dict) -> dict:
    if raw.get("offer") != STANDING:
        return raw
    team = TINY.role(seat).team if seat in ROLE_SEATS else TINY.teams[0].id
    theirs = state.teams[TINY.other_team(team)].standing_offer
    mine = state.teams[team].standing_offer
    offer = mine if raw["kind"] == "withdraw" else theirs
    return {**raw, "offer": offer or "o99"}


def _options_by_guards(state: MatchState, seat: str, now: float) -> dict[str, str | None]:
    kinds = sorted(PLAYER_KINDS | (PACING_KINDS if seat in state.pacers else set()))
    out: dict[str, str | None] = {}
    for kind in kinds:
        try:
            _guard(TINY, state, seat, kind, now, None)
            out[kind] = None
        except MoveError as exc:
            out[kind] = exc.message
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_moves(), min_size=30, max_size=150), st.booleans())
def test_random_play_never_corrupts_state_and_the_log_always_rebuilds_it(moves, self_paced):
    setup = MatchSetup(scenario_id="tiny", scenario_version="1", pacers=["red_tech"] if self_paced else [], phase_seconds={"caucus": 50, "table": 90})
    start = apply_move(TINY, new_state(TINY, setup), FACILITATOR, parse_move({"kind": "start"}), 0.0)
    state, events = start.after, list(start.events)
    now = 0.0
    for seat, raw, dt in moves:
        now += dt
        before_json = state.to_json()
        try:
            move = parse_move(_resolve(state, seat, raw))
            t = apply_move(TINY, state, seat, move, now)
        except MoveError as refused:
            assert refused.code.split("/")[0] in {"move", "game", "auth"}
            assert state.to_json() == before_json  # a refused move changes nothing
            continue
        assert state.to_json() == before_json  # apply never mutates its input
        assert t.events, "an accepted move produces at least one event"
        assert [e.seq for e in t.events] == list(range(state.version + 1, state.version + 1 + len(t.events)))
        state = t.after
        events.extend(t.events)
        for role in ROLE_SEATS:  # the short cut in move_options gives what running every guard gives
            assert move_options(TINY, state, role, now) == _options_by_guards(state, role, now)
        # The snapshot survives a JSON round trip and equals the fold of the log.
        assert MatchState.model_validate(state.to_json()) == state
        assert state.exchanges_used <= max(state.exchange_limit, 0) or state.phase != "table"
        if state.status == "finished":
            assert state.result is not None
            assert state.floor is None
    assert replay(TINY, setup, events) == state  # the log rebuilds the live state exactly
    # ... and so does catching up from any earlier point (a server holding the state at one version)
    cut = len(events) // 2
    halfway = replay(TINY, setup, events[:cut])
    halfway_json = halfway.to_json()
    assert replay_onto(TINY, halfway, events[cut:]) == state
    assert halfway.to_json() == halfway_json  # the state caught up from is left as it was


def test_a_log_only_move_whose_handler_would_change_the_state_is_stopped_before_the_fold(monkeypatch):
    from game.engine.apply import HANDLERS, LOG_ONLY_MOVES  # noqa: PLC0415

    assert "team_chat" in LOG_ONLY_MOVES  # copied shallowly: its events must fold nothing but the version
    setup = MatchSetup(scenario_id="tiny", scenario_version="1")
    state = apply_move(TINY, new_state(TINY, setup), FACILITATOR, parse_move({"kind": "start"}), 0.0).after
    team = TINY.roles[0].team
    monkeypatch.setitem(HANDLERS, "team_chat", lambda ctx, move: ctx.emit("speaker_chosen", {"level": "leader"}))
    before = state.to_json()
    try:
        apply_move(TINY, state, TINY.roles[0].id, parse_move({"kind": "team_chat", "text": "hi"}), 1.0)
    except AssertionError as exc:
        assert "speaker_chosen changes the state" in str(exc)
    else:
        raise AssertionError("the move was applied")
    assert state.to_json() == before and state.teams[team].speaker_level is None  # the given state is untouched


def test_catching_up_with_chats_alone_leaves_the_state_caught_up_from_as_it_was():
    """replay_onto copies only the top level when every event only adds to the log (fold.LOG_ONLY)."""
    from tests.engine.scripts import play_to_deal  # noqa: PLC0415

    script = play_to_deal(TINY, chatty=True)
    events = script.events
    chats = [i for i, e in enumerate(events) if e.type == "chat_posted"]
    assert len(chats) > 3
    for i in chats:
        before = replay(TINY, script.setup, events[:i])
        before_json = before.to_json()
        after = replay_onto(TINY, before, events[i:i + 1])
        assert after == replay(TINY, script.setup, events[: i + 1])
        assert after.version == before.version + 1 and before.to_json() == before_json
