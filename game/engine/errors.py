"""Why a move was refused. Codes are stable (clients and tests match on them); messages are for people.

A message is a `Text` (an English message id and its values, said in the reader's language where the
refusal is shown: game.web.text.say) or, for a message that only echoes what the client sent, a plain
string. `str()` of a MoveError is its code and English message.
"""

from __future__ import annotations

from typing import Any

from game.scenario.text import Text

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

    def __init__(self, code: str, message: Text | str, **details: Any):
        assert code in CODES, code
        self.code = code
        self.message = message
        self.details = details
        super().__init__(code, message)

    def __str__(self) -> str:
        # Said in English only when asked: a view asks every seat's guards why not, and shows each
        # reason in its reader's language.
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """Code, message (a Text dumped as JSON, or a plain string) and details."""
        message = self.message.model_dump() if isinstance(self.message, Text) else self.message
        return {"code": self.code, "message": message, "details": self.details}
