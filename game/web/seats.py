"""Which seat this browser holds at a table: the signed, HttpOnly seat cookie (game.seat_cookies)."""

from __future__ import annotations

from django.http import HttpRequest

from game import hot_sql, seat_cookies, services
from game.hot_sql import SeatGrant

remember = seat_cookies.remember


def seat_of(request: HttpRequest, match_id: int) -> tuple[SeatGrant | None, str | None]:
    """(the human seat this browser holds at the match, its token), or (None, None).

    The match's own cookie first; then any seat secret the browser holds, since a facilitator's move
    takes the secret to another table (the page then sets that table's cookie: `remember`)."""
    token = seat_cookies.token_in(request.COOKIES, match_id)
    candidates = [token] if token else seat_cookies.tokens_in(request.COOKIES)
    for candidate in candidates:
        seat = hot_sql.seat_by_token(match_id, services.seat_token_hash(candidate))
        if seat is not None:
            return seat, candidate
    return None, None


def tokens(request: HttpRequest) -> list[str]:
    """Every seat token this browser holds (to resume a workshop seat from the join page)."""
    return seat_cookies.tokens_in(request.COOKIES)
