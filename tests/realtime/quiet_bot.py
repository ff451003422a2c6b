"""A bot that declares, as game.bots does, that a chat changes none of its decisions (UNMOVED_BY), and
records every seat it is asked about."""

from __future__ import annotations

from tests.realtime import scripted_bot

UNMOVED_BY = frozenset({"chat_posted"})

asked: list[tuple[int, str]] = []  # (version, seat) of every decision asked for


def decide(scenario, state, events, seat, persona_id, seed, now):
    asked.append((state.version, seat))
    return scripted_bot.decide(scenario, state, events, seat, persona_id, seed, now)
