"""The package space of a scenario, built once: per-issue point tables and every package's points.

A package is a tuple of option indices, one per issue in scenario order. Two views of the same space:

- `Space` (always): per team, per issue, the points of each option; the bidder works on these with a
  small dynamic programme over integer points (issues x 101 states), so a bid costs microseconds
  whatever the number of packages;
- `Space.table()` (built lazily, once): every package with both teams' points in flat arrays, for
  brute-force checks, the baselines and the quality figures (78k packages in a few milliseconds).

Spaces are cached per scenario (id, version), checked against the points sheets so that two
different scenarios sharing an id and a version never share a cache entry.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Sequence

from game.scenario import Scenario
from game.scenario.text import Local

Choice = tuple[int, ...]  # one option index per issue


@dataclass(frozen=True)
class PackageTable:
    """Every package of a scenario. Package n's option indices are the mixed-radix digits of n."""

    radices: tuple[int, ...]
    points: dict[str, array]  # team -> points of package n (array of unsigned bytes)

    def __len__(self) -> int:
        return len(next(iter(self.points.values())))

    def choice(self, n: int) -> Choice:
        digits = []
        for radix in reversed(self.radices):
            n, d = divmod(n, radix)
            digits.append(d)
        return tuple(reversed(digits))

    def index(self, choice: Choice) -> int:
        n = 0
        for radix, d in zip(self.radices, choice):
            n = n * radix + d
        return n


@dataclass(frozen=True)
class Space:
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    teams: tuple[str, ...]
    # team -> per issue -> per option: points on that team's sheet
    points: dict[str, tuple[tuple[int, ...], ...]]
    fingerprint: tuple
    titles: dict[str, Local]  # issue -> title
    labels: dict[tuple[str, str], Local]  # (issue, option) -> label
    _table: list = field(default_factory=list, compare=False, repr=False)
    # Results of pure computations on this space (opponent models, bids), keyed by their exact inputs.
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: tuple, compute):
        """compute() once per exact key; a bounded cache, so it is safe for long-running servers."""
        try:
            return self._memo[key]
        except KeyError:
            pass
        if len(self._memo) >= 20000:
            self._memo.clear()
        value = self._memo[key] = compute()
        return value

    # --- conversions -----------------------------------------------------------------------------
    def choice(self, package: dict[str, str]) -> Choice:
        return tuple(self.options[i].index(package[issue]) for i, issue in enumerate(self.issues))

    def package(self, choice: Choice) -> dict[str, str]:
        return {issue: self.options[i][k] for i, (issue, k) in enumerate(zip(self.issues, choice))}

    def value(self, team: str, choice: Choice) -> int:
        rows = self.points[team]
        return sum(rows[i][k] for i, k in enumerate(choice))

    def best_option(self, team: str, i: int) -> int:
        row = self.points[team][i]
        return max(range(len(row)), key=lambda k: (row[k], -k))

    def ideal(self, team: str) -> Choice:
        return tuple(self.best_option(team, i) for i in range(len(self.issues)))

    def table(self) -> PackageTable:
        if not self._table:
            points: dict[str, array] = {}
            for team in self.teams:
                acc = [0]
                for row in self.points[team]:
                    acc = [p + v for p in acc for v in row]
                points[team] = array("H", acc)
            self._table.append(PackageTable(tuple(len(o) for o in self.options), points))
        return self._table[0]


def _fingerprint(scenario: Scenario) -> tuple:
    return tuple(
        (t.id, tuple((i, tuple(sorted(t.points[i].items()))) for i in scenario.issue_ids())) for t in scenario.teams
    ) + tuple((i.id, tuple(i.option_ids())) for i in scenario.issues)


_CACHE: dict[tuple[str, str], list[tuple[Scenario, Space]]] = {}


_LAST: list = [None]  # the last (scenario, space) looked up, as one tuple (atomic to swap)


def space_of(scenario: Scenario) -> Space:
    """The cached space of a scenario (one build per scenario id, version and points sheets)."""
    last = _LAST[0]
    if last is not None and last[0] is scenario:
        return last[1]
    space = _space_of(scenario)
    _LAST[0] = (scenario, space)
    return space


def _space_of(scenario: Scenario) -> Space:
    entries = _CACHE.setdefault((scenario.id, scenario.version), [])
    for known, space in entries:
        if known is scenario:
            return space
    fingerprint = _fingerprint(scenario)
    for _, space in entries:
        if space.fingerprint == fingerprint:
            entries.append((scenario, space))
            del entries[:-8]
            return space
    issues = tuple(scenario.issue_ids())
    options = tuple(tuple(scenario.issue(i).option_ids()) for i in issues)
    points = {
        t.id: tuple(tuple(t.points[issue][o] for o in options[i]) for i, issue in enumerate(issues)) for t in scenario.teams
    }
    titles = {i.id: i.title for i in scenario.issues}
    labels = {(i.id, o.id): o.label for i in scenario.issues for o in i.options}
    space = Space(issues, options, tuple(scenario.team_ids()), points, fingerprint, titles, labels)
    entries.append((scenario, space))
    del entries[:-8]
    return space


# --- the bidder's optimiser ------------------------------------------------------------------------
@dataclass(frozen=True)
class Bid:
    choice: Choice
    own: int  # points on the bidder's sheet
    estimate: float  # estimated value for the other side (0..1)
    feasible: int  # how many packages (within the allowed options) reach the target


def best_bid(
    own_rows: Sequence[Sequence[int]],
    score_rows: Sequence[Sequence[float]],
    allowed: Sequence[Sequence[int]],
    target: float,
) -> Bid | None:
    """The package maximising the other side's estimated value among those worth >= target to us.

    An exact multiple-choice knapsack over integer points (state = our points so far), pruned to the
    states that can still reach the target, so a high target (the usual case) costs almost nothing.
    Ties on the estimate go to the package worth more to us, then to the first found (options are
    tried in the order given), so the result is a pure function of its arguments. None if no allowed
    package reaches the target.
    """
    need = max(0, int(-(-target // 1)))  # ceil for floats, exact for ints
    best_rest = [0] * (len(allowed) + 1)  # most points the issues from i on can still add
    for i in range(len(allowed) - 1, -1, -1):
        best_rest[i] = best_rest[i + 1] + max(own_rows[i][k] for k in allowed[i])
    if best_rest[0] < need:
        return None
    # layer: points so far -> (estimate, packages, back-pointer)
    layer: dict[int, tuple[float, int]] = {0: (0.0, 1)}
    backs: list[dict[int, tuple[int, int]]] = []
    for i, (row, srow, opts) in enumerate(zip(own_rows, score_rows, allowed)):
        floor = need - best_rest[i + 1]
        nxt: dict[int, tuple[float, int]] = {}
        back: dict[int, tuple[int, int]] = {}
        for s, (base, count) in layer.items():
            for k in opts:
                t = s + row[k]
                if t < floor:
                    continue
                v = base + srow[k]
                cur = nxt.get(t)
                if cur is None:
                    nxt[t] = (v, count)
                    back[t] = (s, k)
                else:
                    if v > cur[0] + 1e-12:
                        nxt[t] = (v, cur[1] + count)
                        back[t] = (s, k)
                    else:
                        nxt[t] = (cur[0], cur[1] + count)
        layer = nxt
        backs.append(back)
    if not layer:
        return None
    best_s = max(layer, key=lambda t: (round(layer[t][0], 9), t))
    choice = []
    s = best_s
    for back in reversed(backs):
        prev, k = back[s]
        choice.append(k)
        s = prev
    choice.reverse()
    return Bid(tuple(choice), best_s, layer[best_s][0], sum(c for _, c in layer.values()))
