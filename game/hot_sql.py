"""The statements on the server's hot paths, in SQL: every move (stored if the server's copy is
current -- `commit_if_current` -- else: lock and read the match row, append the events, save the
snapshot), every other server process's read-back of a move, and every websocket's connect and
disconnect (find the seats their secrets bind, record or forget the connections; for a crowd at once).

Through the ORM these cost about 2.3 ms a move on SQLite, 95 % of it building the queries in Python,
against 0.1 ms for the database's own work; a seat lookup took longer than the handshake around it
(docs/performance.md). So they are written once in SQL here -- from the models' own table and column
names, converting each value with its model field, so the models stay the one description of the
schema -- and everything else keeps using the ORM. Parameters are always bound, never formatted in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from game.engine import Event, MatchState, only_add_to_log
from game.models import Connection, Match, MatchEvent, ScenarioRecord, Seat, public_id_shaped

_EVENT_COLUMNS = ("match", "seq", "type", "actor", "team", "visibility", "round", "phase", "at", "data", "msg_id")
_SNAPSHOT_COLUMNS = ("snapshot", "version", "status", "deadline", "updated_at")


@dataclass(frozen=True)
class LockedMatch:
    id: int
    version: int
    workshop_id: int | None
    scenario_id: int
    scenario_digest: str
    applied: bool  # an event with this msg_id exists already: the move was applied before
    has_bots: bool  # a bot sits at the table


def _column(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _applied_sql(match_id_sql: str) -> str:
    """Whether an event of the match carries the msg_id (one parameter)."""
    e = _table(MatchEvent)
    return f"EXISTS (SELECT 1 FROM {e} ev WHERE ev.{_column(MatchEvent, 'match')} = {match_id_sql} AND ev.{_column(MatchEvent, 'msg_id')} = %s)"


def _has_bots_sql(match_id_sql: str) -> str:
    """Whether a bot plays a seat of the match, its own or a trainee's it covers (one parameter: the bot kind)."""
    return (
        f"EXISTS (SELECT 1 FROM {_table(Seat)} st WHERE st.{_column(Seat, 'match')} = {match_id_sql}"
        f" AND (st.{_column(Seat, 'kind')} = %s OR st.{_column(Seat, 'cover')} <> ''))"
    )


@lru_cache(maxsize=4)
def _lock_sql(vendor: str) -> str:
    m, s, mid = _table(Match), _table(ScenarioRecord), _column(Match, "id")
    sql = (
        f"SELECT m.{_column(Match, 'version')}, m.{_column(Match, 'workshop')}, sr.{_column(ScenarioRecord, 'id')},"
        f" sr.{_column(ScenarioRecord, 'digest')},"
        f" {_applied_sql(f'm.{mid}')}, {_has_bots_sql(f'm.{mid}')}"
        f" FROM {m} m JOIN {s} sr ON sr.{_column(ScenarioRecord, 'id')} = m.{_column(Match, 'scenario')}"
        f" WHERE m.{mid} = %s"
    )
    # Lock this match's row only (PostgreSQL); not the scenario row every table shares. SQLite has no
    # row locks: its IMMEDIATE transactions serialise writers instead.
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE OF m" if connection.features.has_select_for_update_of else " FOR UPDATE"
    return sql


def lock_match(match_id: int, msg_id: str | None) -> LockedMatch | None:
    """Lock the match's row for this transaction and read what a move needs; None if there is no such match."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(connection.vendor), [msg_id, Seat.Kind.BOT.value, match_id])
        row = cursor.fetchone()
    if row is None:
        return None
    version, workshop_id, scenario_id, digest, applied, has_bots = row
    return LockedMatch(match_id, version, workshop_id, scenario_id, digest, bool(applied), bool(has_bots))


_PLAIN_FIELDS = (models.IntegerField, models.CharField, models.FloatField)
_PLAIN_TYPES = frozenset({int, str, float, type(None)})


def _plain(field: Any) -> bool:
    """Whether the field stores an int, str or float of Python as it is (a foreign key: as its target does)."""
    return isinstance(field.target_field if field.is_relation else field, _PLAIN_FIELDS)


@lru_cache(maxsize=8)
def _fields(model: Any, names: tuple[str, ...]) -> tuple[tuple[Any, bool], ...]:
    return tuple((f, _plain(f)) for f in (model._meta.get_field(n) for n in names))


def _values(model: Any, names: tuple[str, ...], values: tuple[Any, ...], db: Any) -> list[Any]:
    """The values as the model's fields would bind them on `db` (the connection itself, not the
    `connection` proxy: a thread-local lookup on every use). A plain value of a plain field (an int for
    a PositiveIntegerField, say) is bound as it is: each field's conversion and validator lookup was
    about a microsecond and a half, fifteen values a move."""
    return [
        v if plain and type(v) in _PLAIN_TYPES else f.get_db_prep_save(v, db)
        for (f, plain), v in zip(_fields(model, names), values)
    ]


@lru_cache(maxsize=16)
def _insert_events_sql(vendor: str, n_events: int) -> str:
    columns = ", ".join(_column(MatchEvent, n) for n in _EVENT_COLUMNS)
    row = "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"
    return f"INSERT INTO {_table(MatchEvent)} ({columns}) VALUES {', '.join([row] * n_events)}"


def append_events(match_id: int, events: list[Event], msg_id: str | None) -> None:
    """Insert the move's events (the first carries the move's msg_id); unique (match, seq) is the backstop."""
    if not events:
        return
    with connection.cursor() as cursor:
        cursor.execute(_insert_events_sql(connection.vendor, len(events)), _event_params(match_id, events, msg_id, _db()))


def _db() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def _event_params(match_id: int, events: list[Event], msg_id: str | None, db: Any) -> list[Any]:
    params: list[Any] = []
    for row in _event_rows(events, msg_id):
        params += _values(MatchEvent, _EVENT_COLUMNS, (match_id, *row), db)
    return params


def _event_rows(events: list[Event], msg_id: str | None) -> list[tuple[Any, ...]]:
    """The values of _EVENT_COLUMNS but the match, per event (the first carries the move's msg_id)."""
    return [
        (e.seq, e.type, e.actor, e.team, e.visibility, e.round, e.phase, e.at, e.data, msg_id if i == 0 else None)
        for i, e in enumerate(events)
    ]


_VERSION_COLUMNS = ("version", "updated_at")  # what a move whose events only add to the log changes


def _snapshot_assignments(whole: bool = True) -> str:
    # The snapshot is bound as JSON text (see _snapshot_values): PostgreSQL is told it is jsonb.
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    names = _SNAPSHOT_COLUMNS if whole else _VERSION_COLUMNS
    return ", ".join(f"{_column(Match, n)} = {json_param if n == 'snapshot' else '%s'}" for n in names)


def _snapshot_values(state: MatchState, now: datetime, db: Any) -> list[Any]:
    # The JSON text from pydantic's encoder: a fifth of the time of to_json() and then the JSONField's
    # json.dumps, on every move. The column reads back the same (Match.snapshot is a JSONField).
    snapshot = state.model_dump_json()
    return [snapshot, *_values(Match, _SNAPSHOT_COLUMNS[1:], (state.version, state.status, state.deadline, now), db)]


@lru_cache(maxsize=4)
def _save_snapshot_sql(vendor: str) -> str:
    return f"UPDATE {_table(Match)} SET {_snapshot_assignments()} WHERE {_column(Match, 'id')} = %s"


def save_snapshot(match_id: int, state: MatchState, now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_save_snapshot_sql(connection.vendor), _snapshot_values(state, now, _db()) + [match_id])


@dataclass(frozen=True)
class Committed:
    workshop_id: int | None
    has_bots: bool


def _compare_and_set_sql(with_msg_id: bool, returning: str, whole: bool) -> str:
    """The update of a move's snapshot and version (`whole`; else the version alone), only if the row
    is at the version the move was worked out from (and its msg_id is new), returning `returning`."""
    applied = f" AND NOT {_applied_sql('%s')}" if with_msg_id else ""
    return (
        f"UPDATE {_table(Match)} SET {_snapshot_assignments(whole)} WHERE {_column(Match, 'id')} = %s"
        f" AND {_column(Match, 'version')} = %s{applied} RETURNING {returning}"
    )


@lru_cache(maxsize=32)
def _commit_if_current_sql(vendor: str, n_events: int, with_msg_id: bool, whole: bool) -> str:
    if vendor != "postgresql":  # SQLite: no data-modifying WITH; the update returns what is needed
        return _compare_and_set_sql(with_msg_id, f"{_column(Match, 'workshop')}, {_has_bots_sql(_table(Match) + '.' + _column(Match, 'id'))}", whole)
    returning = f"{_column(Match, 'id')} AS id, {_column(Match, 'workshop')} AS workshop"
    names = _EVENT_COLUMNS[1:]  # all but the match, which comes from the updated row
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    return (
        f"WITH up AS ({_compare_and_set_sql(with_msg_id, returning, whole)}),"
        f" ins AS (INSERT INTO {_table(MatchEvent)} ({', '.join(_column(MatchEvent, n) for n in _EVENT_COLUMNS)})"
        f" SELECT up.id, v.* FROM up, (VALUES {', '.join([row] * n_events)}) AS v ({', '.join(f'c{i}' for i in range(len(names)))})"
        f")"
        f" SELECT up.workshop, {_has_bots_sql('up.id')} FROM up"
    )


@lru_cache(maxsize=32)
def qmark(sql: str) -> str:
    """A statement written with %s placeholders (and no literal %) in the sqlite3 module's `?` style."""
    return sql.replace("%s", "?")


@contextmanager
def sqlite_write(db: Any = None) -> Iterator[Any]:
    """A short write transaction on SQLite, on the DB-API connection itself: BEGIN IMMEDIATE (the write
    lock at once, so two writers queue instead of failing with "database is locked"), the caller's statements (`?` parameters), COMMIT; ROLLBACK if
    anything raises. Inside an atomic block (a test's), a savepoint of it instead.

    Django's `transaction.atomic()` and cursor wrappers cost about 0.12 ms of Python around a move's two
    statements on SQLite, more than SQLite's own work for them (0.05 ms; docs/performance.md), on the
    one database thread. Errors still come out as Django's (`wrap_database_errors`). `db`: the
    connection (default: this thread's)."""
    db = db or _db()
    db.ensure_connection()
    raw = db.connection
    if db.in_atomic_block:
        begin, commit, rollback = "SAVEPOINT hot_sql", "RELEASE hot_sql", ("ROLLBACK TO hot_sql", "RELEASE hot_sql")
    else:
        begin, commit, rollback = "BEGIN IMMEDIATE", "COMMIT", ("ROLLBACK",)
    with db.wrap_database_errors:
        raw.execute(begin)
        try:
            yield raw
        except BaseException:
            if raw.in_transaction:  # SQLite rolls back by itself after some errors (a full disk, say)
                for statement in rollback:
                    raw.execute(statement)
            raise
        raw.execute(commit)


def commit_if_current(match_id: int, from_version: int, state: MatchState, events: list[Event], msg_id: str | None, now: datetime) -> Committed | None:
    """Store a move worked out on a copy of the match at `from_version`: the snapshot and version are
    updated only if the row is still at `from_version` (and `msg_id` was never applied), and the
    events are inserted only if that update happened. None: it was not current, nothing was
    written, and the caller takes the locking path (lock_match) instead.

    On PostgreSQL one statement, one round trip instead of five (begin, lock, insert, update, commit):
    these round trips were most of a move's time under load, on its pool thread. On SQLite the update
    and the insert in one transaction (`sqlite_write`), without the locking read: every call into
    SQLite gives the GIL up and waits to win it back from the busy event loop (docs/performance.md).

    A move whose events only add to the log (engine fold.LOG_ONLY: a chat) stores the version alone, not
    the snapshot: the state at the new version is the snapshot's but for that number
    (selectors.state_from_snapshot). Writing 1.8 KB of JSON -- checked, and compressed on PostgreSQL
    -- was most of a chat's statement."""
    if not events:
        return None
    db = _db()
    whole = not only_add_to_log(events)
    assigned = _snapshot_values(state, now, db) if whole else _values(Match, _VERSION_COLUMNS, (state.version, now), db)
    where = [match_id, from_version] + ([match_id, msg_id] if msg_id else [])
    sql = _commit_if_current_sql(db.vendor, len(events), msg_id is not None, whole)
    if db.vendor == "sqlite":
        with sqlite_write(db) as raw:
            row = raw.execute(qmark(sql), assigned + where + [Seat.Kind.BOT.value]).fetchone()
            if row is None:
                return None
            raw.execute(qmark(_insert_events_sql(db.vendor, len(events))), _event_params(match_id, events, msg_id, db))
        return Committed(row[0], bool(row[1]))
    params = assigned + where
    for row in _event_rows(events, msg_id):
        params += _values(MatchEvent, _EVENT_COLUMNS[1:], row, db)
    params.append(Seat.Kind.BOT.value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # PostgreSQL runs a data-modifying WITH exactly once, and `ins` inserts one row per event for each row
    # `up` updated (one or none), all in the statement's own transaction.
    return Committed(row[0], bool(row[1])) if row is not None else None


_READ_COLUMNS = ("seq", "type", "actor", "team", "visibility", "round", "phase", "at", "data")


@lru_cache(maxsize=4)
def _events_sql(vendor: str) -> str:
    columns = ", ".join(f"ev.{_column(MatchEvent, n)}" for n in _READ_COLUMNS)
    return (
        f"SELECT m.{_column(Match, 'version')}, {columns} FROM {_table(Match)} m"
        f" LEFT JOIN {_table(MatchEvent)} ev ON ev.{_column(MatchEvent, 'match')} = m.{_column(Match, 'id')}"
        f" AND ev.{_column(MatchEvent, 'seq')} > %s"
        f" WHERE m.{_column(Match, 'id')} = %s ORDER BY ev.{_column(MatchEvent, 'seq')}"
    )


def events_after(match_id: int, after_seq: int) -> tuple[int, list[Event]] | None:
    """The match's version and its events after `after_seq`, in order (None: no such match): how a
    server process that did not commit a move reads it back. One statement, so the version and the
    events agree (the events of one move are committed together with the version they lead to)."""
    data_field = MatchEvent._meta.get_field("data")
    with connection.cursor() as cursor:
        cursor.execute(_events_sql(connection.vendor), [after_seq, match_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    events = [
        Event(
            seq=seq, type=type_, actor=actor, team=team, visibility=visibility, round=round_, phase=phase, at=at,
            data=data_field.from_db_value(data, None, connection),
        )
        for _, seq, type_, actor, team, visibility, round_, phase, at, data in rows
        if seq is not None
    ]
    return rows[0][0], events


@dataclass(frozen=True)
class SeatGrant:
    role_id: str
    team: str
    display_name: str
    workshop_id: int | None
    cover: str  # "" while the trainee plays it, else who handed it to a bot (game.models.Seat.cover)
    match_id: int


def seats_at_tables(requests: list[tuple[str, Mapping[int, str]]]) -> list[SeatGrant | None]:
    """For each (a table's public id, the token hashes a browser holds by the match its cookie names):
    the human seat at that table bound to the hash held for that very table, or None -- an unknown
    public id and a wrong secret alike. One statement for them all, in the same order."""
    public_ids = {public_id for public_id, held in requests if held and public_id_shaped(public_id)}
    rows = _human_seats({h for _, held in requests for h in held.values() if h}, public_ids)
    found = {(public_id, match_id, token_hash): grant for match_id, public_id, token_hash, grant in rows}
    return [
        next((found[key] for match_id, h in held.items() if (key := (public_id, match_id, h)) in found), None)
        for public_id, held in requests
    ]


def _human_seats(hashes: set[str], public_ids: set[str] | None = None) -> list[tuple[int, str, str, SeatGrant]]:
    """(match id, match public id, token hash, grant) of every human seat bound to one of the hashes
    (at a match with one of the public ids, if given), the newest seat first."""
    if not hashes or public_ids is not None and not public_ids:
        return []
    s, m = _table(Seat), _table(Match)
    sql = (
        f"SELECT st.{_column(Seat, 'match')}, m.{_column(Match, 'public_id')}, st.{_column(Seat, 'token_hash')},"
        f" st.{_column(Seat, 'role_id')}, st.{_column(Seat, 'team')}, st.{_column(Seat, 'display_name')},"
        f" m.{_column(Match, 'workshop')}, st.{_column(Seat, 'cover')}"
        f" FROM {s} st JOIN {m} m ON m.{_column(Match, 'id')} = st.{_column(Seat, 'match')}"
        f" WHERE st.{_column(Seat, 'kind')} = %s AND st.{_column(Seat, 'token_hash')} IN ({', '.join(['%s'] * len(hashes))})"
    )
    params = [Seat.Kind.HUMAN.value, *sorted(hashes)]
    if public_ids is not None:
        sql += f" AND m.{_column(Match, 'public_id')} IN ({', '.join(['%s'] * len(public_ids))})"
        params += sorted(public_ids)
    sql += f" ORDER BY st.{_column(Seat, 'id')} DESC"  # callers keep the last row: the first seat of a match with that hash wins
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (match_id, public_id, token_hash, SeatGrant(role_id, team, display_name, workshop_id, cover, match_id))
            for match_id, public_id, token_hash, role_id, team, display_name, workshop_id, cover in cursor.fetchall()
        ]


_CONNECTION_COLUMNS = ("match", "role_id", "channel_name", "seen_at")


def connection_insert(rows: list[tuple[int, str, str, float]]) -> None:
    """Record new connections: (match id, role id, channel name, seen at) each, in one statement."""
    if not rows:
        return
    columns = ", ".join(_column(Connection, n) for n in _CONNECTION_COLUMNS)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_table(Connection)} ({columns}) VALUES {values}", [v for row in rows for v in row])


def connection_delete(channel_names: list[str]) -> None:
    if not channel_names:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(Connection)} WHERE {_column(Connection, 'channel_name')} IN ({', '.join(['%s'] * len(channel_names))})",
            channel_names,
        )


@lru_cache(maxsize=4)
def _presence_sql(vendor: str) -> str:
    st, c = _table(Seat), _table(Connection)
    return (
        f"SELECT s.{_column(Seat, 'role_id')}, s.{_column(Seat, 'team')}, s.{_column(Seat, 'kind')},"
        f" s.{_column(Seat, 'display_name')}, s.{_column(Seat, 'cover')},"
        f" EXISTS (SELECT 1 FROM {c} cn WHERE cn.{_column(Connection, 'match')} = s.{_column(Seat, 'match')}"
        f" AND cn.{_column(Connection, 'role_id')} = s.{_column(Seat, 'role_id')} AND cn.{_column(Connection, 'seen_at')} >= %s)"
        f" FROM {st} s WHERE s.{_column(Seat, 'match')} = %s ORDER BY s.{_column(Seat, 'id')}"
    )


def seats_with_presence(match_id: int, seen_since: float) -> list[tuple[str, str, str, str, str, bool]]:
    """(role id, team, kind, display name, cover, connected) of every seat of the match, in seat order:
    connected if a connection of that seat showed a sign of life at or after `seen_since`."""
    with connection.cursor() as cursor:
        cursor.execute(_presence_sql(connection.vendor), [seen_since, match_id])
        return [(role, team, kind, name, cover, bool(live)) for role, team, kind, name, cover, live in cursor.fetchall()]


@lru_cache(maxsize=4)
def _due_sql(vendor: str) -> str:
    m, deadline = _table(Match), _column(Match, "deadline")
    return (
        f"SELECT {_column(Match, 'id')}, {_column(Match, 'version')} FROM {m}"
        f" WHERE {_column(Match, 'status')} = %s AND {deadline} IS NOT NULL AND {deadline} <= %s ORDER BY {deadline}"
    )


def due_matches(now: float) -> list[tuple[int, int]]:
    """(match id, version) of every running match whose phase deadline has passed, soonest first: the
    clock's question, every second in every server process (through the ORM it held the database
    thread for about half a millisecond each time, and moves arriving meanwhile waited)."""
    with connection.cursor() as cursor:
        cursor.execute(_due_sql(connection.vendor), ["running", now])
        return [(match_id, version) for match_id, version in cursor.fetchall()]


def connections_touch(channel_names: list[str], seen_at: float) -> None:
    """A sign of life from these connections, in one statement (written once a second for all of them)."""
    if not channel_names:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Connection)} SET {_column(Connection, 'seen_at')} = %s"
            f" WHERE {_column(Connection, 'channel_name')} IN ({', '.join(['%s'] * len(channel_names))})",
            [seen_at, *channel_names],
        )
