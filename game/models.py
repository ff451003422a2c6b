"""Thin persistence: scenarios as loaded, matches with a JSON snapshot, seats, and the append-only event log.

The event rows are the truth; `Match.snapshot` is a cache of their fold that can always be rebuilt
(game.services.match_rebuild_snapshot). Every move stores the snapshot of the state it leads to
together with its events (game.services.match_commit), so `snapshot["version"] == version`.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import models


def public_id_new() -> str:
    """An unguessable id (128 random bits) for URLs: a visitor cannot walk from one match or workshop to the next."""
    return secrets.token_urlsafe(16)


_PUBLIC_ID_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")  # token_urlsafe's alphabet, at most the column's length


def public_id_shaped(text: str) -> bool:
    """Whether `text` could be a public id at all; anything else is refused without a query."""
    return _PUBLIC_ID_SHAPE.fullmatch(text) is not None


class ScenarioRecord(models.Model):
    scenario_id = models.CharField(max_length=48)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    data = models.JSONField()
    digest = models.CharField(max_length=64)  # sha256 of the canonical JSON of `data`
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario_id", "version"], name="scenario_id_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Workshop(models.Model):
    """A facilitator's session: N tables (matches) of one scenario, joined with a short code."""

    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshops")
    scenario = models.ForeignKey(ScenarioRecord, on_delete=models.PROTECT, related_name="workshops")
    title = models.CharField(max_length=120)
    code = models.CharField(max_length=12, unique=True)
    public_id = models.CharField(max_length=32, unique=True, default=public_id_new, editable=False)
    settings = models.JSONField(default=dict)  # game.services.WorkshopSettings
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"workshop {self.code} ({self.title})"


class Match(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice"
        WORKSHOP = "workshop"

    scenario = models.ForeignKey(ScenarioRecord, on_delete=models.PROTECT, related_name="matches")
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.PRACTICE)
    # The id in every URL and page (the integer key stays internal: it is sequential, so guessable).
    public_id = models.CharField(max_length=32, unique=True, default=public_id_new, editable=False)
    label = models.CharField(max_length=60, blank=True)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="tables")
    table_no = models.PositiveSmallIntegerField(null=True, blank=True)  # 1..N within a workshop
    setup = models.JSONField()  # game.engine.MatchSetup
    status = models.CharField(max_length=12, default="lobby")  # mirrors snapshot["status"] for queries
    version = models.PositiveIntegerField(default=0)  # seq of the last event
    snapshot = models.JSONField()  # game.engine.MatchState
    # Mirrors snapshot["deadline"] (epoch seconds), so the clock finds due matches with one indexed query.
    deadline = models.FloatField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A practice game played on from a position of another game (its replay's step `origin_step`):
    # its log starts with the origin's first `origin_step` events (game.services.practice_play_on).
    origin = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="played_on")
    origin_step = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "table_no"], condition=models.Q(workshop__isnull=False), name="match_workshop_table_unique"
            )
        ]

    def __str__(self) -> str:
        return f"match {self.pk} ({self.scenario.scenario_id}, {self.status})"


class Seat(models.Model):
    class Kind(models.TextChoices):
        HUMAN = "human"
        BOT = "bot"
        EMPTY = "empty"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="seats")
    role_id = models.CharField(max_length=48)
    team = models.CharField(max_length=48)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.EMPTY)
    persona = models.CharField(max_length=48, blank=True)
    display_name = models.CharField(max_length=60, blank=True)
    # sha256 of the seat's secret; the secret itself lives only in the player's browser.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Who claimed the seat, so one person holds one seat per workshop: sha256 of the browser's signed
    # client id (game.web.client) and of its network address (for the per-network cap).
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    network_hash = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A trainee's seat a bot plays for now (with `persona`): "dropout" (absent past the workshop's grace
    # period in a timed phase; handed back when the trainee reconnects) or "facilitator" (handed over
    # from the console; only the facilitator takes it back). Empty: the trainee plays it.
    cover = models.CharField(max_length=12, blank=True, default="")
    last_seen = models.FloatField(null=True, blank=True)  # epoch seconds its last connection closed

    class Meta:
        constraints = [models.UniqueConstraint(fields=["match", "role_id"], name="seat_match_role_unique")]


class Connection(models.Model):
    """One open websocket of a seat (presence). Rows of a crashed process age out after PRESENCE_TTL."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="connections")
    role_id = models.CharField(max_length=48)
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.FloatField()  # epoch seconds of the last sign of life


class MatchEvent(models.Model):
    """One accepted fact, never updated or deleted."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    actor = models.CharField(max_length=48)
    team = models.CharField(max_length=48, null=True)
    visibility = models.CharField(max_length=60)
    round = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=12)
    at = models.FloatField()
    data = models.JSONField(default=dict)
    # The client's id for the move that caused this event (first event of a move only), so a
    # resent move is recognised and not applied twice.
    # Stored as "<seat>:<client msg_id>" so two seats' ids never collide.
    msg_id = models.CharField(max_length=128, null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["match", "seq"], name="event_match_seq_unique"),
            models.UniqueConstraint(
                fields=["match", "msg_id"], condition=models.Q(msg_id__isnull=False), name="event_match_msg_unique"
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("events are append-only")
        super().save(*args, **kwargs)


class ReplayShare(models.Model):
    """A read-only link to a finished match's replay (game.replays). Unguessable; revocable."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="replay_shares")
    token = models.CharField(max_length=64, unique=True)  # secrets.token_urlsafe(24): the link itself
    created_by = models.CharField(max_length=120, blank=True)  # "facilitator:<username>" or "seat:<role id>"
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"replay share of match {self.match_id}{' (revoked)' if self.revoked_at else ''}"


class ReplayImport(models.Model):
    """Where an imported match came from (python manage.py import_replay)."""

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="replay_import")
    checksum = models.CharField(max_length=64, db_index=True)  # sha256 of the file's canonical content
    # Whose key the file's signature checked out with: "this server", "shared key", or "" (unverified:
    # anyone could have written or edited the file; the replay page says so).
    verified_by = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200, blank=True)  # the exporting installation's match id and label
    imported_at = models.DateTimeField(auto_now_add=True)
