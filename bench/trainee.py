"""A simulated trainee for the mixed benchmark (bench/mixed.py): picks its next move from its own seat's
view, as the table page would offer it -- only kinds whose `view.moves` entry is null (available now),
with arguments taken from what the view shows (its points sheet, its team's mandate and cards, the
standing offers) -- in the proportions a trainee plays them.

The server checks every rule; a move this picks can still be refused (another seat moved first, a card
not ready): the bench counts refusals by code and never retries them.
"""

from __future__ import annotations

import random

# How often a trainee plays each kind, among the kinds available at the moment: talk first, then the
# caucus work, the table's offers and answers. Pacing moves (`advance`) follow PhaseClock instead;
# `pause`, `resume`, `extend`, `start`, `delegate` and `suggest` are not part of the load.
WEIGHTS: dict[str, float] = {
    "team_chat": 3.0,
    "statement": 2.0,
    "propose": 2.0,
    "reject": 1.0,
    "accept": 0.2,
    "probe": 1.0,
    "show_capability": 1.0,
    "commit_deliverable": 1.0,
    "withdraw": 0.2,
    "recess": 0.1,
    "escalate": 0.1,
    "draft_mandate": 1.0,
    "endorse_mandate": 2.0,
    "object_mandate": 0.3,
    "state_priorities": 1.0,
    "prepare_deliverable": 1.0,
    "choose_speaker": 0.5,
}

CHATS_PER_MINUTE = 15  # the trainee stays under the server's per-seat chat allowance (20 a minute)

LINES = [
    "Hold the line on rules of origin.",
    "We can move on purchases if they move on transshipment.",
    "Our leader needs a number he can announce.",
    "Let us hear what they need on market-economy status first.",
    "I would not go below this without the minister's word.",
]


class PhaseClock:
    """When a pacing trainee advances: after a handful of its own moves in a phase (a few in the
    briefing and the review, more in the caucus, most at the table), or at once when the phase leaves
    it nothing else to do."""

    QUOTAS = {"briefing": (2, 5), "caucus": (10, 20), "table": (15, 30), "review": (2, 5)}

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phase: tuple | None = None
        self.moves = 0
        self.quota = 0

    def due(self, view: dict, others: bool) -> bool:
        here = (view.get("round"), view.get("phase"))
        if here != self.phase:
            self.phase, self.moves, self.quota = here, 0, self.rng.randint(*self.QUOTAS.get(view.get("phase"), (2, 5)))
        return self.moves >= self.quota or not others

    def moved(self) -> None:
        self.moves += 1


def _options(view: dict) -> dict[str, list[str]]:
    """Each issue's options, best first for this seat's team (its points sheet)."""
    sheet = view.get("points_sheet") or {}
    return {issue: sorted(points, key=lambda o: -points[o]) for issue, points in sheet.items()}


def _arguments(kind: str, view: dict, seat: str, team: str, rng: random.Random) -> dict | None:
    """The move's fields from what the view shows; None when the view offers nothing to act on."""
    options = _options(view)
    mine = (view.get("teams") or {}).get(team) or {}
    other = next((t for t in (view.get("teams") or {}) if t != team), None)
    theirs = ((view.get("teams") or {}).get(other) or {}).get("standing_offer") if other else None
    role = (view.get("roles") or {}).get(seat) or {}
    text = rng.choice(LINES)
    if kind in ("team_chat", "statement"):
        return {"kind": kind, "text": text}
    if kind == "propose" and options:
        # Somewhere between its best and the middle of each option list: a plausible, varied offer.
        return {"kind": kind, "package": {i: rng.choice(o[: max(1, (len(o) + 1) // 2)]) for i, o in options.items()}}
    if kind in ("accept", "reject") and theirs:
        return {"kind": kind, "offer": theirs, **({"reason": "Not this package."} if kind == "reject" else {})}
    if kind == "withdraw" and mine.get("standing_offer"):
        return {"kind": kind, "offer": mine["standing_offer"]}
    if kind == "probe" and options:
        return {"kind": kind, "issue": rng.choice(sorted(options)), "question": "What matters to you here?"}
    if kind == "show_capability":
        return {"kind": kind, "text": "We can deliver what we sign."}
    if kind == "recess":
        return {"kind": kind, "reason": "We need to consult."}
    if kind == "escalate":
        return {"kind": kind}
    mandate = mine.get("mandate") or {}
    if kind == "draft_mandate" and options and (mandate.get("drafted_by") != seat or mandate.get("round") != view.get("round")):
        return {"kind": kind, "issues": {i: {"target": o[0], "walkaway": o[len(o) // 2]} for i, o in options.items()}}
    if kind in ("endorse_mandate", "object_mandate") and mandate:
        version = mandate.get("version")
        if version and ((mine.get("stances") or {}).get(seat) or {}).get("version") != version:
            return {"kind": kind, "version": version, **({"reason": "The walkaway is too low."} if kind == "object_mandate" else {})}
        return None
    if kind == "state_priorities" and role.get("priorities") and seat not in (mine.get("priorities") or {}):
        return {"kind": kind, "priorities": dict(role["priorities"])}
    cards = mine.get("deliverables") or {}
    waiting = view.get("cards_waiting") or {}
    if kind == "prepare_deliverable":
        ready = [d for d, c in cards.items() if c.get("status") == "not_started" and d not in waiting]
        owned = [d for d in ready if d in (role.get("owns") or [])]  # only a card's owner prepares it
        return {"kind": kind, "deliverable": rng.choice(owned)} if owned else None
    if kind == "commit_deliverable":
        prepared = [d for d, c in cards.items() if c.get("status") == "prepared"]
        return {"kind": kind, "deliverable": rng.choice(prepared)} if prepared else None
    if kind == "choose_speaker" and role.get("level") and mine.get("speaker_level") != role["level"]:
        return {"kind": kind, "level": role["level"]}
    return None


def choose(view: dict, seat: str, team: str, rng: random.Random, *, clock: PhaseClock | None, may_chat: bool) -> dict | None:
    """The trainee's next move, or None when its view offers nothing (a finished game, a paused one).
    `clock` is the pacing trainee's (a practice game's seat); `may_chat` is False while its chat
    allowance is spent."""
    available = {k for k, why in (view.get("moves") or {}).items() if why is None}
    if not may_chat:
        available.discard("team_chat")
    drafts = {k: _arguments(k, view, seat, team, rng) for k in WEIGHTS if k in available}
    moves = {k: move for k, move in drafts.items() if move is not None}
    if clock is not None and "advance" in available and clock.due(view, others=bool(moves)):
        return {"kind": "advance"}
    if not moves:
        return None
    kind = rng.choices(list(moves), weights=[WEIGHTS[k] for k in moves])[0]
    return moves[kind]
