"""Why a move was refused. Codes are stable (clients and tests match on them); messages are for people."""

from __future__ import annotations

from typing import Any

MALFORMED = "move/malformed"
WRONG_PHASE = "move/wrong_phase"
NOT_YOUR_TURN = "move/not_your_turn"
NOT_YOUR_SEAT = "move/not_your_seat"
ILLEGAL = "move/illegal"
STALE_VERSION = "move/stale_version"
GAME_OVER = "game/over"
NOT_STARTED = "game/not_started"
PAUSED = "game/paused"
FORBIDDEN = "auth/forbidden"

CODES = frozenset({MALFORMED, WRONG_PHASE, NOT_YOUR_TURN, NOT_YOUR_SEAT, ILLEGAL, STALE_VERSION, GAME_OVER, NOT_STARTED, PAUSED, FORBIDDEN})


class MoveError(Exception):
    """A refused move. Raising it guarantees the state was not changed."""

    def __init__(self, code: str, message: str, **details: Any):
        assert code in CODES, code
        self.code = code
        self.message = message
        self.details = details
        super().__init__(f"{code}: {message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}
