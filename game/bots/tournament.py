"""The bot against outsiders: every persona, as its team, against every reference opponent (and the
personas of equal difficulty against each other), N games a pairing. Pure (no clock, no I/O);
`python manage.py tournament` is a thin wrapper.

Per pairing it reports what a trainer would ask of a sparring partner:
- agreement rate, each side's mean points (no deal = BATNA), mean distance to the Pareto frontier
  and to the Nash point (deals only);
- the bot's backpedals: offers worse for the other side than one the bot already made, and offers
  dominated by one of its own earlier offers (no better for either side, worse for one);
- deals dominated by one of the bot's own earlier offers, and deals below the bot's BATNA;
- "chances": games in which the opponent offered, at some point, a package worth at least the bot's
  reservation (BATNA + the persona's margin) and inside the bot's red lines, and how many of those
  ended in a deal.

`soundness_failures(report)` lists every pairing that breaks what the bot promises: no deal below
its BATNA, no backpedal (no offer worse for the other side than an earlier one of its own, none
dominated by an earlier one), agreement in at least 95% of the games that offered it a chance, and
the hard persona scoring at least as much as the medium one against every opponent both agree with.
Deals dominated by an earlier offer of the bot (it accepted a package of theirs that one of its own
offers beat for both sides) are counted and printed, not promised away: the bot cannot see their sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from statistics import fmean

from game.bots.play import play_game, resolve_persona
from game.bots.reference import REFERENCE_OPPONENTS
from game.bots.simulate import game_seed, score_game
from game.bots.space import Choice, Space, space_of
from game.engine import Event
from game.scenario import Scenario
from game.scoring import joint_space

MIN_CHANCE_AGREEMENT = 0.95
SELF_PLAY = "self"  # the opponent name of a self-play row (the other team plays its persona of equal difficulty)


@dataclass(frozen=True)
class Pairing:
    persona: str  # the bot's persona
    team: str  # the bot's team
    opponent: str  # a reference opponent, or SELF_PLAY
    opponent_player: str  # what plays the other team: a reference opponent or a persona id


@dataclass(frozen=True)
class TournamentGame:
    seed: int
    deal: bool
    points: dict[str, int]  # "bot" / "opponent"
    distance_to_frontier: float | None
    distance_to_nash: float | None
    backpedals: int  # the bot's offers worse for the other side than one it made before
    dominated_offers: int  # the bot's offers dominated by one of its own earlier offers
    dominated_deal: bool  # the deal is dominated by one of the bot's own earlier offers
    below_batna: bool  # a deal below the bot's BATNA
    chance: bool  # the opponent offered a package above the bot's reservation, inside its red lines


@dataclass(frozen=True)
class PairingRow:
    persona: str
    team: str
    opponent: str
    games: int
    agreements: int
    agreement_rate: float
    points: dict[str, float]  # "bot" / "opponent": mean over games
    distance_to_frontier: float | None  # mean over deals
    distance_to_nash: float | None  # mean over deals
    backpedals: int
    dominated_offers: int
    dominated_deals: int
    deals_below_batna: int
    chances: int
    chance_agreement_rate: float | None
    difficulty: str


@dataclass(frozen=True)
class TournamentReport:
    scenario: str
    games: int
    seed: int
    rows: list[PairingRow] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def personas(scenario: Scenario) -> list[tuple[str, str]]:
    """(persona id, team) for every persona the scenario gives a team, in scenario order."""
    return [(p.id, team) for team in scenario.team_ids() for p in scenario.personas_for(team)]


def pairings(scenario: Scenario, persona_ids: Sequence[str] | None = None, opponents: Sequence[str] | None = None) -> list[Pairing]:
    """Every chosen persona as its team against every chosen reference opponent, then the self-play rows."""
    chosen = [(p, t) for p, t in personas(scenario) if persona_ids is None or p in persona_ids]
    names = [o for o in REFERENCE_OPPONENTS if opponents is None or o in opponents]
    out = [Pairing(p, t, o, o) for p, t in chosen for o in names]
    if opponents is None or SELF_PLAY in opponents:
        first = scenario.team_ids()[0]
        for p, t in chosen:
            if t != first:
                continue
            other = scenario.other_team(t)
            mate = resolve_persona(scenario, other, scenario.persona(p).difficulty)
            out.append(Pairing(p, t, SELF_PLAY, mate.id))
    return out


def _offers(events: Iterable[Event], team: str, space: Space) -> list[Choice]:
    return [space.choice(e.data["package"]) for e in events if e.type == "offer_proposed" and e.team == team]


def _dominates(space: Space, a: Choice, b: Choice) -> bool:
    """a is at least as good as b for both teams and better for one."""
    pa = [space.value(t, a) for t in space.teams]
    pb = [space.value(t, b) for t in space.teams]
    return all(x >= y for x, y in zip(pa, pb)) and pa != pb


def _inside_red_lines(scenario: Scenario, team: str, space: Space, choice: Choice) -> bool:
    sheet = space.points[team]
    for role in scenario.roles_of(team):
        for line in role.red_lines:
            i = space.issues.index(line.issue)
            if sheet[i][choice[i]] < sheet[i][space.options[i].index(line.worst_acceptable)]:
                return False
    return True


def measure(scenario: Scenario, pairing: Pairing, events: list[Event], seed: int) -> TournamentGame:
    """One game's figures from the bot's side."""
    space = space_of(scenario)
    team, other = pairing.team, scenario.other_team(pairing.team)
    result = score_game(scenario, events, seed=seed)
    ours = _offers(events, team, space)
    backpedals = dominated = 0
    best_for_them = -1
    for n, offer in enumerate(ours):
        for_them = space.value(other, offer)
        backpedals += for_them < best_for_them
        best_for_them = max(best_for_them, for_them)
        dominated += any(_dominates(space, earlier, offer) for earlier in ours[:n])
    deal = space.choice(result.package) if result.package else None
    persona = scenario.persona(pairing.persona)
    reservation = scenario.team(team).batna + persona.reservation_margin
    chance = any(
        space.value(team, c) >= reservation and _inside_red_lines(scenario, team, space, c) for c in _offers(events, other, space)
    )
    return TournamentGame(
        seed=seed,
        deal=result.deal,
        points={"bot": result.points[team], "opponent": result.points[other]},
        distance_to_frontier=result.distance_to_frontier,
        distance_to_nash=result.distance_to_nash,
        backpedals=backpedals,
        dominated_offers=dominated,
        dominated_deal=deal is not None and any(_dominates(space, c, deal) for c in ours),
        below_batna=result.below_batna[team],
        chance=chance,
    )


def play_pairing(scenario: Scenario, pairing: Pairing, *, games: int, seed: int) -> list[TournamentGame]:
    players = {pairing.team: pairing.persona, scenario.other_team(pairing.team): pairing.opponent_player}
    out = []
    for i in range(games):
        s = game_seed(seed, i)
        out.append(measure(scenario, pairing, play_game(scenario, players, s), s))
    return out


def summarise(scenario: Scenario, pairing: Pairing, results: Sequence[TournamentGame]) -> PairingRow:
    deals = [r for r in results if r.deal]
    chances = [r for r in results if r.chance]

    def mean(values: list[float]) -> float | None:
        return round(fmean(values), 2) if values else None

    n = len(results)
    return PairingRow(
        persona=pairing.persona,
        team=pairing.team,
        opponent=pairing.opponent if pairing.opponent != SELF_PLAY else f"{SELF_PLAY} ({pairing.opponent_player})",
        games=n,
        agreements=len(deals),
        agreement_rate=round(len(deals) / n, 4) if n else 0.0,
        points={side: mean([r.points[side] for r in results]) or 0.0 for side in ("bot", "opponent")},
        distance_to_frontier=mean([r.distance_to_frontier for r in deals if r.distance_to_frontier is not None]),
        distance_to_nash=mean([r.distance_to_nash for r in deals if r.distance_to_nash is not None]),
        backpedals=sum(r.backpedals for r in results),
        dominated_offers=sum(r.dominated_offers for r in results),
        dominated_deals=sum(r.dominated_deal for r in results),
        deals_below_batna=sum(r.below_batna for r in results),
        chances=len(chances),
        chance_agreement_rate=round(sum(r.deal for r in chances) / len(chances), 4) if chances else None,
        difficulty=scenario.persona(pairing.persona).difficulty,
    )


def tournament(
    scenario: Scenario,
    *,
    games: int,
    seed: int = 0,
    persona_ids: Sequence[str] | None = None,
    opponents: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TournamentReport:
    """Play every pairing `games` times (game i of every pairing uses the same derived seed)."""
    joint_space(scenario)
    chosen = pairings(scenario, persona_ids, opponents)
    rows = []
    for n, pairing in enumerate(chosen, 1):
        rows.append(summarise(scenario, pairing, play_pairing(scenario, pairing, games=games, seed=seed)))
        if progress is not None:
            progress(n, len(chosen))
    return TournamentReport(f"{scenario.id} v{scenario.version}", games, seed, rows)


def soundness_failures(report: TournamentReport) -> list[str]:
    """Every broken promise, one sentence each (empty when the bot is sound against these opponents)."""
    out = []
    for r in report.rows:
        who = f"{r.persona} vs {r.opponent}"
        if r.deals_below_batna:
            out.append(f"{who}: {r.deals_below_batna} deal(s) below the bot's BATNA")
        if r.backpedals or r.dominated_offers:
            out.append(f"{who}: {r.backpedals} offer(s) worse for the other side than an earlier one, {r.dominated_offers} dominated by an earlier one")
        if r.chance_agreement_rate is not None and r.chance_agreement_rate < MIN_CHANCE_AGREEMENT:
            out.append(f"{who}: agreed in {r.chance_agreement_rate:.0%} of the {r.chances} games where the opponent offered an acceptable package")
    by_key = {(r.team, r.opponent, r.difficulty): r for r in report.rows if not r.opponent.startswith(SELF_PLAY)}
    for (team, opponent, difficulty), hard in by_key.items():
        medium = by_key.get((team, opponent, "medium"))
        if difficulty != "hard" or medium is None or not hard.agreements or not medium.agreements:
            continue
        if hard.points["bot"] < medium.points["bot"]:
            out.append(f"{hard.persona} vs {opponent}: the hard persona scores {hard.points['bot']:.1f}, below the medium persona's {medium.points['bot']:.1f}")
    return out


def format_table(report: TournamentReport) -> str:
    """The report as a plain-text table, one pairing a line."""

    def f(x: float | None, spec: str = ".1f") -> str:
        return "n/a" if x is None else format(x, spec)

    head = f"{'persona':<16} {'opponent':<28} {'agree':>6} {'bot':>6} {'opp':>6} {'frontier':>8} {'Nash':>6} {'backpedal':>9} {'dom.deal':>8} {'<BATNA':>6} {'chances agree':>14}"
    lines = [f"scenario {report.scenario}, {report.games} games a pairing, seed {report.seed}", head]
    for r in report.rows:
        chance = "n/a" if r.chance_agreement_rate is None else f"{r.chance_agreement_rate:.0%} of {r.chances}"
        lines.append(
            f"{r.persona:<16} {r.opponent:<28} {r.agreement_rate:>6.0%} {r.points['bot']:>6.1f} {r.points['opponent']:>6.1f}"
            f" {f(r.distance_to_frontier):>8} {f(r.distance_to_nash):>6} {r.backpedals + r.dominated_offers:>9} {r.dominated_deals:>8}"
            f" {r.deals_below_batna:>6} {chance:>14}"
        )
    return "\n".join(lines)
