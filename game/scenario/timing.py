"""A timing plan: the phase timers that fit a case into a session of a given length.

Briefings and reviews are paced by the facilitator (no timer) and get a tenth of the session; the rest
is shared between the caucus and table phases of every round, a table taking half as long again as a
caucus (the default workshop timers, 8 and 12 minutes, keep that ratio). The longest plan also plays
the case's epilogue after a deal (paced by the facilitator like a briefing), and keeps time for it.
"""

from __future__ import annotations

from game.scenario.schema import Scenario

SESSION_MINUTES = (60, 90, 120)
PACED_SHARE = 0.1  # of the session, for the untimed briefings and reviews
WEIGHTS = {"caucus": 2, "table": 3}
SHORTEST_SECONDS = 120
EPILOGUE_FROM_MINUTES = 120  # shorter sessions end the game at the deal
EPILOGUE_MINUTES = 10  # of a session that plays the epilogue, kept for it


def plays_epilogue(scenario: Scenario, minutes: int) -> bool:
    """Whether the plan for a session of `minutes` plays the case's epilogue after a deal."""
    return scenario.epilogue is not None and minutes >= EPILOGUE_FROM_MINUTES


def timing_plan(scenario: Scenario, minutes: int) -> dict[str, int]:
    """Seconds per timed phase (caucus, table) so that every round's timed phases fill the session
    less its paced share; whole minutes, never below two."""
    counts = {phase: sum(phase in r.phases for r in scenario.rounds) for phase in WEIGHTS}
    units = sum(WEIGHTS[p] * n for p, n in counts.items())
    minutes -= EPILOGUE_MINUTES if plays_epilogue(scenario, minutes) else 0
    unit = minutes * 60 * (1 - PACED_SHARE) / units
    return {p: max(SHORTEST_SECONDS, int(WEIGHTS[p] * unit) // 60 * 60) for p, n in counts.items() if n}


def timed_seconds(scenario: Scenario, phase_seconds: dict[str, int]) -> int:
    """The seconds a game spends in timed phases when no phase ends early."""
    return sum(phase_seconds.get(p, 0) for r in scenario.rounds for p in r.phases)
