"""Persistence: one transaction per move, an append-only log, and a snapshot that the log rebuilds."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from game.engine import FACILITATOR, MoveError
from game.models import Match, MatchEvent, ScenarioRecord, Seat
from game.selectors import match_events, match_state, scenario_get, scenario_of
from game.services import ScenarioConflict, match_create, match_rebuild_snapshot, match_submit_move, scenario_load
from tests.engine.scripts import play_to_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(default_scenario):
    return scenario_load(scenario=default_scenario)[0]


def test_load_scenario_command_loads_every_shipped_case_once_the_default_first(capsys):
    call_command("load_scenario")
    call_command("load_scenario")
    assert list(ScenarioRecord.objects.order_by("id").values_list("scenario_id", flat=True)) == ["us_vietnam_2025", "us_vietnam_2025_short"]
    out = capsys.readouterr().out
    assert out.count("already up to date") == 2


def test_a_changed_scenario_with_the_same_version_is_refused_once_matches_use_it(record, default_scenario):
    match_create(scenario_record=record)
    changed = default_scenario.model_copy(update={"title": "Another title"})
    with pytest.raises(ScenarioConflict, match="raise the version"):
        scenario_load(scenario=changed)
    assert scenario_get(default_scenario.id).title == default_scenario.title.en


def test_match_create_makes_one_seat_per_role_with_bots_where_asked(record, default_scenario):
    us_roles = [r.id for r in default_scenario.roles_of("us")]
    match = match_create(scenario_record=record, seed=7, bots={r: "us_pragmatic" for r in us_roles})
    seats = {s.role_id: s for s in Seat.objects.filter(match=match)}
    assert set(seats) == {r.id for r in default_scenario.roles}
    assert all(seats[r].kind == "bot" for r in us_roles)
    assert match.status == "lobby" and match.version == 0


def test_moves_append_sequenced_events_and_the_snapshot_is_their_fold(record, default_scenario):
    match = match_create(scenario_record=record)
    script = play_to_deal(default_scenario)
    # Re-play the same game through the service, move by move, using the script's seats and moves.
    for seat, move in script.moves:
        match_submit_move(match_id=match.pk, seat=seat, move=move)
    match.refresh_from_db()
    assert match.status == "finished"
    seqs = list(MatchEvent.objects.filter(match=match).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    cached = match_state(match)
    Match.objects.filter(pk=match.pk).update(snapshot={})  # lose the cache entirely
    match.refresh_from_db()
    assert match_rebuild_snapshot(match=match) == cached
    match.refresh_from_db()
    assert match_state(match) == cached
    assert cached.result.kind == "deal"


def test_a_refused_move_writes_nothing(record):
    match = match_create(scenario_record=record)
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
    before = MatchEvent.objects.filter(match=match).count()
    with pytest.raises(MoveError) as refused:
        match_submit_move(match_id=match.pk, seat="us_treasury", move={"kind": "propose", "package": {"us_tariff": "x"}})
    assert refused.value.code in {"move/wrong_phase", "move/illegal"}
    assert MatchEvent.objects.filter(match=match).count() == before
    match.refresh_from_db()
    assert match.version == before


def test_a_stale_version_is_refused_and_a_repeated_msg_id_is_not_applied_twice(record):
    match = match_create(scenario_record=record)
    first = match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}, msg_id="m-1")
    again = match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}, msg_id="m-1")
    assert again.duplicate and again.state == first.state
    version = first.state.version
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "advance"}, expected_version=version, msg_id="m-2")
    with pytest.raises(MoveError) as stale:
        match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "advance"}, expected_version=version, msg_id="m-3")
    assert stale.value.code == "move/stale_version"
    assert stale.value.details["version"] == version + 1
    assert len(match_events(match)) == version + 1


def test_events_are_append_only(record):
    match = match_create(scenario_record=record)
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"})
    event = MatchEvent.objects.filter(match=match).first()
    event.type = "forged"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchEvent.objects.create(match=match, seq=1, type="dup", actor="x", visibility="public", round=0, phase="briefing", at=0)


# --- workshops, seats, practice (issue 7) ---------------------------------------------------------
def _facilitator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="facilitator")


def test_match_deadline_mirrors_the_snapshot_so_the_clock_finds_due_matches(record):
    from game.selectors import due_matches

    match = match_create(scenario_record=record, phase_seconds={"briefing": 30})
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}, now=1000.0)
    match.refresh_from_db()
    assert match.deadline == 1030.0 == match.snapshot["deadline"]
    assert due_matches(now=1029.0) == [] and due_matches(now=1030.0) == [(match.pk, match.version)]
    match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "pause"}, now=1010.0)
    match.refresh_from_db()
    assert match.deadline is None and due_matches(now=5000.0) == []


def test_workshop_codes_are_unambiguous_and_a_collision_draws_again(record, monkeypatch):
    import game.services as services

    draws = iter("AAAAAA" + "AAAAAA" + "BCDEFG")
    first = services.workshop_create(facilitator=_facilitator(), scenario_record=record, title="One", tables=1)
    assert len(first.code) == 6 and set(first.code) <= set(services.CODE_ALPHABET)
    assert not set(services.CODE_ALPHABET) & set("01OI")
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(draws))
    a = services.workshop_create(facilitator=first.facilitator, scenario_record=record, title="Two", tables=2)
    b = services.workshop_create(facilitator=first.facilitator, scenario_record=record, title="Three", tables=1)
    assert (a.code, b.code) == ("AAAAAA", "BCDEFG")
    assert Match.objects.filter(workshop=a).count() == 2 and Match.objects.filter(workshop=b).count() == 1


def test_join_codes_are_normalised_and_bad_ones_refused_clearly(record):
    from game.services import ServiceError, workshop_code_normalize, workshop_create, workshop_for_join

    workshop = workshop_create(facilitator=_facilitator(), scenario_record=record, title="W", tables=1)
    assert workshop_for_join(code=f" {workshop.code[:3].lower()}-{workshop.code[3:]} ").pk == workshop.pk
    for raw, code in (("", "workshop/bad_code"), ("ABC0EF", "workshop/bad_code"), ("ABCDEFG", "workshop/bad_code")):
        with pytest.raises(ServiceError) as refused:
            workshop_code_normalize(raw)
        assert refused.value.code == code and refused.value.status == 400


def test_a_seat_is_bound_to_a_secret_of_which_only_the_hash_is_stored(record):
    from game.services import seat_claim, seat_held_in, seat_token_hash, workshop_create

    workshop = workshop_create(facilitator=_facilitator(), scenario_record=record, title="W", tables=1, settings={"bots": {"vn": "vn_pragmatic"}})
    grant = seat_claim(workshop=workshop, display_name="Bao", role_id="vn_trade")
    seat = Seat.objects.get(pk=grant.seat.pk)
    assert seat.kind == "human" and seat.persona == "vn_pragmatic"  # the bot it replaced comes back if she is moved
    assert seat.token_hash == seat_token_hash(grant.token) and len(grant.token) >= 40
    assert not Seat.objects.filter(token_hash=grant.token).exists()
    assert seat_held_in(workshop=workshop, tokens=["forged", grant.token])[0].pk == seat.pk
    again = seat_claim(workshop=workshop, display_name="Bao", token=grant.token)
    assert again.resumed and again.seat.pk == seat.pk and again.token is None


def test_practice_personas_resolve_by_id_difficulty_or_team(record):
    from game.services import ServiceError, practice_create

    match, _ = practice_create(scenario_record=record, team="us", role_id="us_ustr", personas={"vn": "vn_dealseeker"}, persona_id="hard")
    personas = dict(Seat.objects.filter(match=match, kind="bot").values_list("role_id", "persona"))
    assert personas["vn_trade"] == "vn_dealseeker" and personas["us_treasury"] == "us_hardline"
    with pytest.raises(ServiceError) as refused:
        practice_create(scenario_record=record, team="us", role_id="us_ustr", personas={"vn": "us_hardline"})
    assert refused.value.code == "request/invalid"


def test_a_seat_is_found_only_by_its_own_secret_and_only_then_is_the_connection_recorded(record):
    from game.models import Connection  # noqa: PLC0415
    from game.services import connections_prune, seat_connect, seat_token_hash  # noqa: PLC0415

    match = match_create(scenario_record=record)
    other = match_create(scenario_record=record)
    Seat.objects.filter(match=match, role_id="us_ustr").update(kind="human", display_name="Ann", token_hash=seat_token_hash("right"))
    right = {match.pk: seat_token_hash("right")}
    assert seat_connect(public_id=match.public_id, held={match.pk: seat_token_hash("wrong")}, channel_name="c0") is None
    # The table is named by its public id only; the secret must sit in that very table's cookie.
    for public_id, held in (
        (str(match.pk), right), (other.public_id, right), ("no-such-table", right), ("\x00", right), ("x" * 40, right),
        (match.public_id, {other.pk: seat_token_hash("right")}), (match.public_id, {}),
    ):
        assert seat_connect(public_id=public_id, held=held, channel_name="c0") is None, (public_id, held)
    assert not Connection.objects.exists()
    grant = seat_connect(public_id=match.public_id, held={other.pk: seat_token_hash("wrong"), **right}, channel_name="c1", now=1000.0)
    assert (grant.role_id, grant.team, grant.display_name, grant.workshop_id, grant.match_id) == ("us_ustr", "us", "Ann", None, match.pk)
    seat_connect(public_id=match.public_id, held=right, channel_name="c2", now=1000.0 + 25 * 3600)
    # Rows of a process that died a day ago go; the live one stays.
    assert connections_prune(now=1000.0 + 25 * 3600) == 1
    assert list(Connection.objects.values_list("channel_name", flat=True)) == ["c2"]


def test_a_chat_is_stored_like_any_move_so_the_snapshot_is_always_at_the_rows_version(record, default_scenario):
    """Every move, a chat included, stores its events and the snapshot of the state they lead to, on
    the stored state or on a server process's copy: the snapshot is the fold of the whole log."""
    match = match_create(scenario_record=record)
    state = match_submit_move(match_id=match.pk, seat=FACILITATOR, move={"kind": "start"}).state
    known = scenario_of(scenario_get(default_scenario.id))
    for n in range(3):  # on the server's copy, as a server process does
        state = match_submit_move(match_id=match.pk, seat="us_ustr", move={"kind": "team_chat", "text": f"c{n}"}, known=(known, state)).state
    match_submit_move(match_id=match.pk, seat="vn_trade", move={"kind": "team_chat", "text": "from the stored state"})
    match.refresh_from_db()
    assert match.snapshot["version"] == match.version == state.version + 1
    assert match_state(match) == match_rebuild_snapshot(match=Match.objects.get(pk=match.pk))
