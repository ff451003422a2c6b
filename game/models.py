"""Thin persistence: scenarios as loaded, matches with a JSON snapshot, seats, and the append-only event log.

The event rows are the truth; `Match.snapshot` is a cache of their fold that can always be rebuilt
(game.services.match_rebuild_snapshot).
"""

from __future__ import annotations

from django.db import models


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


class Match(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice"
        WORKSHOP = "workshop"

    scenario = models.ForeignKey(ScenarioRecord, on_delete=models.PROTECT, related_name="matches")
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.PRACTICE)
    label = models.CharField(max_length=60, blank=True)
    setup = models.JSONField()  # game.engine.MatchSetup
    status = models.CharField(max_length=12, default="lobby")  # mirrors snapshot["status"] for queries
    version = models.PositiveIntegerField(default=0)  # seq of the last event
    snapshot = models.JSONField()  # game.engine.MatchState
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
    token_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["match", "role_id"], name="seat_match_role_unique")]


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
    msg_id = models.CharField(max_length=64, null=True, blank=True)

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
