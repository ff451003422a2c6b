"""Bot-vs-bot simulation: play N games and summarise them with the scorer. Pure (no clock, no I/O);
`python manage.py simulate` is a thin wrapper that adds the command line and a progress bar.

The same scenario, players and seed always give the same figures: game i is played with the seed
stable_seed(seed, "game", i), whatever order games are played in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from statistics import fmean

from game.bots.play import play_game
from game.bots.strategy import stable_seed
from game.engine import Event
from game.scenario import Scenario
from game.scoring import joint_space, score_match


@dataclass(frozen=True)
class GameResult:
    index: int
    seed: int
    deal: bool
    package: dict[str, str] | None
    points: dict[str, int]  # per team: the deal's points, or the BATNA
    alignment: dict[str, float]  # per team: the Organisational Alignment Index
    backpedal_penalty: dict[str, int]
    pareto_efficiency: float | None  # deals only: joint points / best joint points
    distance_to_frontier: float | None
    distance_to_nash: float | None
    below_batna: dict[str, bool]
    moves: int  # accepted moves (events with an actor other than the system)
    events: int


@dataclass(frozen=True)
class SimulationReport:
    scenario: str
    players: dict[str, str]
    games: int
    seed: int
    agreements: int
    agreement_rate: float
    mean_points: dict[str, float]
    mean_alignment: dict[str, float]
    mean_pareto_efficiency: float | None  # over the games that reached a deal
    mean_distance_to_nash: float | None  # over the games that reached a deal
    mean_distance_to_frontier: float | None
    deals_below_batna: dict[str, int]
    mean_backpedal_penalty: dict[str, float]
    mean_moves: float
    results: list[GameResult] = field(repr=False, default_factory=list)

    def as_dict(self, *, with_games: bool = False) -> dict:
        data = asdict(self)
        if not with_games:
            data.pop("results")
        return data


def game_seed(seed: int, index: int) -> int:
    return stable_seed(seed, "game", index) & 0x7FFFFFFF


def score_game(scenario: Scenario, events: list[Event], index: int = 0, seed: int = 0) -> GameResult:
    score = score_match(scenario, events)
    teams = scenario.team_ids()
    deal = score.result == "deal"
    figures = score.joint.deal if deal else None
    package = dict(figures.package) if figures is not None else None
    return GameResult(
        index=index,
        seed=seed,
        deal=deal,
        package=package,
        points={t: score.outcome[t].points for t in teams},
        alignment={t: round(score.alignment[t].index, 2) for t in teams},
        backpedal_penalty={t: score.alignment[t].backpedal_penalty for t in teams},
        pareto_efficiency=figures.pareto_efficiency if figures is not None else None,
        distance_to_frontier=figures.distance_to_frontier if figures is not None else None,
        distance_to_nash=figures.distance_to_nash if figures is not None else None,
        below_batna={t: score.outcome[t].below_batna for t in teams},
        moves=sum(1 for e in events if e.actor != "system"),
        events=len(events),
    )


def play_one(scenario: Scenario, players: Mapping[str, str], seed: int, index: int) -> GameResult:
    s = game_seed(seed, index)
    return score_game(scenario, play_game(scenario, players, s), index, s)


def summarise(scenario: Scenario, players: Mapping[str, str], seed: int, results: Iterable[GameResult]) -> SimulationReport:
    results = sorted(results, key=lambda r: r.index)
    teams = scenario.team_ids()
    deals = [r for r in results if r.deal]

    def mean(values: list[float]) -> float | None:
        return round(fmean(values), 4) if values else None

    n = len(results)
    return SimulationReport(
        scenario=f"{scenario.id} v{scenario.version}",
        players=dict(players),
        games=n,
        seed=seed,
        agreements=len(deals),
        agreement_rate=round(len(deals) / n, 4) if n else 0.0,
        mean_points={t: mean([r.points[t] for r in results]) or 0.0 for t in teams},
        mean_alignment={t: mean([r.alignment[t] for r in results]) or 0.0 for t in teams},
        mean_pareto_efficiency=mean([r.pareto_efficiency for r in deals if r.pareto_efficiency is not None]),
        mean_distance_to_nash=mean([r.distance_to_nash for r in deals if r.distance_to_nash is not None]),
        mean_distance_to_frontier=mean([r.distance_to_frontier for r in deals if r.distance_to_frontier is not None]),
        deals_below_batna={t: sum(1 for r in deals if r.below_batna[t]) for t in teams},
        mean_backpedal_penalty={t: mean([r.backpedal_penalty[t] for r in results]) or 0.0 for t in teams},
        mean_moves=mean([r.moves for r in results]) or 0.0,
        results=results,
    )


def simulate(
    scenario: Scenario,
    players: Mapping[str, str],
    *,
    games: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationReport:
    """Play `games` games with `players` (team -> persona id or baseline name) and summarise them."""
    missing = [t for t in scenario.team_ids() if t not in players]
    if missing:
        raise ValueError(f"no player for team(s) {', '.join(missing)}")
    joint_space(scenario)  # build the exact joint space once, before the games
    results = []
    for i in range(games):
        results.append(play_one(scenario, players, seed, i))
        if progress is not None:
            progress(i + 1, games)
    return summarise(scenario, players, seed, results)


def format_report(report: SimulationReport) -> str:
    """The figures as plain text, one per line."""

    def f(x: float | None, digits: int = 2) -> str:
        return "n/a" if x is None else f"{x:.{digits}f}"

    teams = list(report.mean_points)
    lines = [
        f"scenario            {report.scenario}",
        "players             " + ", ".join(f"{t}={p}" for t, p in report.players.items()),
        f"games               {report.games} (seed {report.seed})",
        f"agreement rate      {report.agreement_rate:.1%} ({report.agreements}/{report.games})",
        "mean points         " + ", ".join(f"{t} {report.mean_points[t]:.1f}" for t in teams),
        f"mean Pareto eff.    {f(report.mean_pareto_efficiency, 3)} (deals only)",
        f"mean dist. to Nash  {f(report.mean_distance_to_nash)} (deals only)",
        f"mean dist. frontier {f(report.mean_distance_to_frontier)} (deals only)",
        "mean alignment      " + ", ".join(f"{t} {report.mean_alignment[t]:.1f}" for t in teams),
        "backpedal penalty   " + ", ".join(f"{t} {report.mean_backpedal_penalty[t]:.1f}" for t in teams),
        "deals below BATNA   " + ", ".join(f"{t} {report.deals_below_batna[t]}" for t in teams),
        f"mean moves / game   {report.mean_moves:.0f}",
    ]
    return "\n".join(lines)
