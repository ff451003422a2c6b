"""Page-only reads that game.selectors does not offer (yet). Plain queries, no rules."""

from __future__ import annotations

from django.db.models import Count, Q

from game.models import Match, ScenarioRecord, Seat, Workshop


def scenario_records() -> list[ScenarioRecord]:
    """The newest version of every loaded scenario, in load order."""
    newest: dict[str, ScenarioRecord] = {}
    for record in ScenarioRecord.objects.order_by("id"):
        current = newest.get(record.scenario_id)
        key = tuple(int(p) for p in record.version.split("."))
        if current is None or key > tuple(int(p) for p in current.version.split(".")):
            newest[record.scenario_id] = record
    return list(newest.values())


def match_get(public_id: str) -> Match | None:
    """The match behind a URL's public id (never the sequential key: a visitor cannot walk those)."""
    return Match.objects.select_related("scenario", "workshop").filter(public_id=public_id[:32]).first()


def seat_names(match_id: int) -> dict[str, dict[str, str]]:
    """role id -> {kind, display_name} (no secrets)."""
    return {
        s.role_id: {"kind": s.kind, "display_name": s.display_name}
        for s in Seat.objects.filter(match_id=match_id)
    }


def bot_personas(match_id: int) -> dict[str, str]:
    """team -> the persona its bot seats play (the first bot seat's)."""
    out: dict[str, str] = {}
    for s in Seat.objects.filter(match_id=match_id, kind=Seat.Kind.BOT).order_by("id"):
        out.setdefault(s.team, s.persona)
    return out


def facilitator_workshops(user) -> list[Workshop]:
    return list(
        Workshop.objects.filter(facilitator=user)
        .select_related("scenario")
        .annotate(
            table_count=Count("tables", distinct=True),
            trainees=Count("tables__seats", filter=Q(tables__seats__kind=Seat.Kind.HUMAN), distinct=True),
        )
        .order_by("-created_at")
    )


def seat_view(match_id: int, seat: str, *, now: float) -> dict:
    """The current state as `seat` may see it, filtered by the engine (player_view)."""
    from game import selectors  # noqa: PLC0415
    from game.engine import player_view  # noqa: PLC0415

    loaded = selectors.match_load(match_id, after_seq=None)
    return player_view(loaded.scenario, loaded.state, seat, now)
