"""Calls batched into one database trip (game.realtime.dbpool.Batched) each get their own answer: a
failing batch falls back to one call at a time, so only the bad call fails."""

from __future__ import annotations

import asyncio

import pytest

from game.realtime.dbpool import Batched

pytestmark = pytest.mark.django_db(transaction=True)


def double(*, n: int) -> int:
    if n < 0:
        raise ValueError(f"negative: {n}")
    return 2 * n


def double_all(calls: list[dict]) -> list[int]:
    return [double(**c) for c in calls]  # one bad call fails the whole batch


async def test_calls_arriving_together_go_in_one_batch_and_each_gets_its_own_answer():
    seen = []

    def many(calls):
        seen.append(len(calls))
        return double_all(calls)

    batched = Batched(double, many)
    assert await asyncio.gather(*(batched(n=n) for n in range(10))) == [2 * n for n in range(10)]
    assert seen == [10]


async def test_a_bad_call_fails_alone():
    batched = Batched(double, double_all)
    results = await asyncio.gather(*(batched(n=n) for n in (1, -1, 3)), return_exceptions=True)
    assert results[0] == 2 and results[2] == 6
    assert isinstance(results[1], ValueError) and "negative: -1" in str(results[1])
    assert await batched(n=5) == 10  # and the next batch goes out as usual
