"""The one path every move takes from a socket, a bot or the clock: submit, then notify after commit.

`submit_move` calls the service (one short transaction on the database thread) and only once it
has returned -- committed -- tells the table's group (and its facilitator's) that the version moved
on. The notification carries no content: each consumer reads the events it has not sent yet from the
log and filters them for its own seat (the channel layer is a best-effort notifier; the log is the
truth). Then, off the caller's path, the new score annotations go to each team's group and the bots
are woken.
"""

from __future__ import annotations

import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from game import selectors, services
from game.engine import Event, Move
from game.models import Match
from game.realtime import coalesce, dbpool, scores, tablelog
from game.realtime.groups import seat_group, table_group, team_group, workshop_group
from game.services import MoveResult, match_submit_move


async def submit_move(
    *,
    match_id: int,
    seat: str,
    move: Move | dict[str, Any],
    expected_version: int | None = None,
    msg_id: str | None = None,
    from_bot: bool = False,
) -> MoveResult:
    """Apply a move (raises game.engine.MoveError, nothing written) and fan the news out after commit.

    `msg_id` is namespaced by seat before it is stored, so two seats' ids never collide.
    """
    stored_id = f"{seat}:{msg_id}" if msg_id else None
    held = tablelog.peek(match_id)  # spares the service decoding the snapshot when this copy is current
    result = await dbpool.run(
        match_submit_move, match_id=match_id, seat=seat, move=move, expected_version=expected_version, msg_id=stored_id,
        known_state=held.state if held is not None else None, known_scenario=held.scenario if held is not None else None,
    )
    if not result.duplicate:
        tablelog.advance(match_id, result.state, result.events)  # this process need not read its own move back
        await notify_changed(match_id, result.state.version, result.workshop_id, events=result.events)
        if scores.available() and scores.may_annotate(result.events):
            schedule_annotations(match_id, result.state.version - len(result.events), result.state.version)
        if result.has_bots and not from_bot:
            from game.realtime import bots  # noqa: PLC0415 (bots submit through this module)

            bots.kick(match_id, result.state.version)
    return result


def _groups(match_id: int, workshop_id: int | None) -> list[str]:
    """The table's group, and its facilitator's if it is a workshop table."""
    return [table_group(match_id)] + ([workshop_group(workshop_id)] if workshop_id else [])


def changed_message(match_id: int, version: int, events: list[Event] | tuple[Event, ...] = ()) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "table.changed", "match": match_id, "version": version}
    if events and len(events) <= tablelog.MAX_NOTIFIED_EVENTS:
        message["events"] = [e.model_dump(mode="json") for e in events]
    return message


def _other_processes() -> bool:
    """Whether other server processes may hold this table's sockets. The in-memory layer means one
    process holds them all, and it has its copy already (tablelog.advance): events would only be
    deep-copied into every socket's queue for nothing."""
    return not isinstance(get_channel_layer(), InMemoryChannelLayer)


async def notify_changed(
    match_id: int, version: int, workshop_id: int | None = None, *, events: list[Event] | tuple[Event, ...] = ()
) -> None:
    """Tell the table's sockets (and its facilitator's) that the log reached `version`.

    The committed events ride along (when few) so that other server processes can extend their copy
    of the table without reading the log back (tablelog.heard); a process whose copy is not exactly
    where they start, or a notification lost on the way, still reads the log: it stays the truth."""
    message = changed_message(match_id, version, events if _other_processes() else ())
    for group in _groups(match_id, workshop_id):
        await get_channel_layer().group_send(group, message)


def presence_of(match_id: int) -> list[dict[str, Any]]:
    return selectors.table_seats(match_id, now=time.time(), ttl=settings.REALTIME_PRESENCE_TTL)


async def presence_now(match_id: int) -> list[dict[str, Any]]:
    """Who is connected at the table, read after this call began (shared with concurrent callers:
    game.realtime.coalesce). A reconnect storm made one presence query per socket, twice (welcome and
    notification): the largest cost of the storm on the database thread (bench/realtime.py)."""
    return await coalesce.fresh(("presence", match_id), lambda: presence_of(match_id))


async def presence_recent(match_id: int) -> list[dict[str, Any]]:
    """Who is connected, as read at most a second ago: for a welcome, which notify_presence follows
    with a fresh presence frame a moment later (so a storm of reconnects does not read it per socket)."""
    return await coalesce.recent(("presence", match_id), lambda: presence_of(match_id), 1.0)


def notify_presence(match_id: int, workshop_id: int | None = None) -> None:
    """Tell the table (and its facilitator) who is connected, a moment from now.

    Connections that open or close together -- a room joining at once, a reconnect storm after a
    network blip -- are told in one presence frame per table instead of one per connection times the
    table's seats. The presence is read after the pause, so nothing said is staler than before; a
    change after that read schedules the next frame."""
    coalesce.settle(("presence", match_id), settings.REALTIME_PRESENCE_SETTLE, None, lambda _: _send_presence(match_id, workshop_id))


async def _send_presence(match_id: int, workshop_id: int | None) -> None:
    seats = await presence_now(match_id)
    message = {"type": "presence.changed", "match": match_id, "seats": seats}
    for group in _groups(match_id, workshop_id):
        await get_channel_layer().group_send(group, message)


def mark_seen(channel_name: str) -> None:
    """A sign of life from a connection (a client frame; clients ping every 15 s), written to the
    database together with the others of the next moment, in one statement.

    Each was a write of its own, on the database thread, and the frame that carried it -- a move,
    often -- waited for it first: 400 seat sockets made 13 a second (bench/realtime.py). Presence
    counts a connection for REALTIME_PRESENCE_TTL (two minutes) after its last sign of life, so one
    written a second late changes nothing anyone sees."""
    coalesce.settle("seen", settings.REALTIME_SEEN_SETTLE, channel_name, _write_seen)


async def _write_seen(channel_names: list[str]) -> None:
    await dbpool.run(services.connections_touch, channel_names=sorted(set(channel_names)))


def notify_seats_changed(match_ids: list[int], revoked: list[tuple[int, str]] = ()) -> None:
    """From sync code (HTTP views), after the service has committed: seats changed hands."""
    layer = get_channel_layer()
    for match_id, role_id in revoked:
        async_to_sync(layer.group_send)(seat_group(match_id, role_id), {"type": "seat.revoked", "match": match_id})
    for match_id in dict.fromkeys(match_ids):
        message = {"type": "presence.changed", "match": match_id, "seats": presence_of(match_id)}
        workshop_id = Match.objects.filter(pk=match_id).values_list("workshop_id", flat=True).first()
        for group in _groups(match_id, workshop_id):
            async_to_sync(layer.group_send)(group, message)


def schedule_annotations(match_id: int, prev_version: int, version: int) -> None:
    """Push the score annotations of the moves (prev_version, version] a moment from now.

    The score is coaching, not the game: the table's update frames go out first, and moves of one
    table within REALTIME_ANNOTATIONS_SETTLE are scored once. Scored right after each move, it ran
    before most seats of the table had their update, and a move arriving meanwhile waited for it
    (bench/realtime.py: the slowest moves were those that came together)."""
    coalesce.settle(
        ("annotations", match_id), settings.REALTIME_ANNOTATIONS_SETTLE, (prev_version, version),
        lambda spans: push_annotations(match_id, min(p for p, _ in spans), max(v for _, v in spans)),
    )


async def push_annotations(match_id: int, prev_version: int, version: int) -> None:
    """Score the log once and send each team group only the new annotations that team may see."""
    scored = await scores.current(match_id, at_least=version)
    if scored is None or scored.result is None:
        return
    layer = get_channel_layer()
    finished = scored.state.status == "finished"
    for team in scored.scenario.team_ids():
        seat = scored.scenario.roles_of(team)[0].id  # any seat of the team sees what the team sees
        new = scores.annotations_for(scored.scenario, scored.result, seat, finished, after_seq=prev_version, upto_seq=version)
        if new:
            await layer.group_send(
                team_group(match_id, team),
                {"type": "team.annotations", "match": match_id, "team": team, "annotations": new,
                 "scores": scores.team_scores(scored.scenario, scored.result, team=team)},
            )
