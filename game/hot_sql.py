"""The statements every socket or every move pays, in SQL: a websocket's connect and disconnect (find
the seats their secrets bind, record or forget the connections; for a crowd at once), presence, the
clock's question, and a move's compare-and-set, its events' insert and the read of the log after it.

Through the ORM, building these statements cost more than the database's work on them (a seat lookup
took longer than the handshake around it; docs/performance.md). So they are written once here -- from
the models' own table and column names and each field's own adaptation of its values, so the models
stay the one description of the schema -- and everything else uses the ORM. They run inside the
caller's transaction (game.services.match_commit holds a move's in one transaction.atomic()), the
same statements on SQLite and PostgreSQL. Parameters are always bound, never formatted in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from game.models import Connection, Match, MatchEvent, Seat, public_id_shaped


def _column(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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


# --- a move ----------------------------------------------------------------------------------------
_MOVE_COLUMNS = ("snapshot", "version", "status", "deadline", "updated_at")
_EVENT_COLUMNS = ("match", "seq", "type", "actor", "team", "visibility", "round", "phase", "at", "data", "msg_id")


@lru_cache(maxsize=4)
def _advance_sql(vendor: str) -> str:
    # The snapshot comes as JSON text; PostgreSQL's column is jsonb.
    sets = ", ".join(f"{_column(Match, n)} = {'%s::jsonb' if n == 'snapshot' and vendor == 'postgresql' else '%s'}" for n in _MOVE_COLUMNS)
    return f"UPDATE {_table(Match)} SET {sets} WHERE {_column(Match, 'id')} = %s AND {_column(Match, 'version')} = %s"


@lru_cache(maxsize=4)
def _append_sql(vendor: str) -> tuple[str, str]:
    columns = ", ".join(_column(MatchEvent, n) for n in _EVENT_COLUMNS)
    return f"INSERT INTO {_table(MatchEvent)} ({columns}) VALUES ", "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"


@lru_cache(maxsize=8)
def _savers(model: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    """Each column's own adaptation of a value to store on the database (JSON, datetimes), looked up once."""
    return tuple(model._meta.get_field(name).get_db_prep_save for name in names)


def _saved(model: Any, names: tuple[str, ...], rows: list[Mapping[str, Any]], raw: frozenset[str] = frozenset()) -> list[Any]:
    """The values of `rows` for `names`, in order, each as its field stores it (a name in `raw`: as given)."""
    on = connections[DEFAULT_DB_ALIAS]  # the thread's own connection, found once for the statement
    savers = [(name, None if name in raw else save) for name, save in zip(names, _savers(model, names))]
    return [row[name] if save is None else save(row[name], on) for row in rows for name, save in savers]


def match_advance(match_id: int, from_version: int, values: Mapping[str, Any]) -> bool:
    """Move the match's row from `from_version` to the state in `values` (the columns of
    _MOVE_COLUMNS, the snapshot as JSON text: pydantic's own dump of the state, a third of the time
    of `json.dumps` on its dict); False, and nothing changed, if the row is not at `from_version`.
    The caller's transaction holds the row's write lock from here to its end."""
    params = _saved(Match, _MOVE_COLUMNS, [values], raw=frozenset({"snapshot"}))
    with connection.cursor() as cursor:
        cursor.execute(_advance_sql(connection.vendor), [*params, match_id, from_version])
        return cursor.rowcount == 1


def events_append(rows: list[Mapping[str, Any]]) -> None:
    """Insert event rows (the columns of _EVENT_COLUMNS each) in one statement; a (match, seq) or
    (match, msg_id) already stored raises IntegrityError."""
    head, one = _append_sql(connection.vendor)
    params = _saved(MatchEvent, _EVENT_COLUMNS, rows)
    with connection.cursor() as cursor:
        cursor.execute(head + ", ".join([one] * len(rows)), params)


_LOG_COLUMNS = ("seq", "type", "actor", "team", "visibility", "round", "phase", "at", "data", "msg_id")


@lru_cache(maxsize=4)
def _log_sql(vendor: str) -> str:
    columns = ", ".join(_column(MatchEvent, n) for n in _LOG_COLUMNS)
    return (
        f"SELECT {columns} FROM {_table(MatchEvent)} WHERE {_column(MatchEvent, 'match')} = %s"
        f" AND ({_column(MatchEvent, 'seq')} >= %s OR {_column(MatchEvent, 'msg_id')} = %s) ORDER BY {_column(MatchEvent, 'seq')}"
    )


def events_from(match_id: int, from_seq: int, msg_id: str | None) -> list[dict[str, Any]]:
    """The match's event rows from seq `from_seq` on, and any stored with `msg_id`, in seq order
    (each a dict of _LOG_COLUMNS, `data` decoded)."""
    data = MatchEvent._meta.get_field("data")
    with connection.cursor() as cursor:
        cursor.execute(_log_sql(connection.vendor), [match_id, from_seq, msg_id])
        rows = [dict(zip(_LOG_COLUMNS, row)) for row in cursor.fetchall()]
    for row in rows:
        row["data"] = data.from_db_value(row["data"], None, connection)
    return rows
