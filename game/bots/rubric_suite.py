"""The strategy-ranking suite: can the rubric tell good play from button-pressing?

Every scripted strategy of game.bots.scripted plays one team against every bot persona of the other
team over several seeds, through the pure engine; the scorer gives each game its layer scores and its
leaderboard total. The suite then checks what the article says must be true:

- principled play ranks first against every persona, at least MARGIN points ahead of the best
  degenerate strategy (mean over the seeds);
- an aligned team beats a divided one reaching the same deal by at least ALIGNED_GAP points: with the
  same deal the outcome and joint layers are equal, so the gap is the alignment layer's weight times
  the difference of the two indexes;
- a deal below the BATNA scores below walking away with the same alignment (no deal: outcome 0,
  joint 0, the same index).

`python manage.py rubric_check` prints the table (`--json` for the figures); `make test` runs the
fast version in tests/scoring/test_rubric_suite.py. Pure: the same arguments give the same report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import fmean

from game.bots.play import play_game
from game.bots.scripted import STRATEGIES, strategy_player
from game.bots.simulate import game_seed
from game.scenario import Scenario
from game.scoring import DEFAULT_WEIGHTS, score_match

MARGIN = 5.0
ALIGNED_GAP = 20.0
ALIGNED, DIVIDED, BELOW, PRINCIPLED = "principled", "divided_team", "concede_all_at_once", "principled"


@dataclass(frozen=True)
class Row:
    strategy: str
    persona: str
    degenerate: bool
    games: int
    deals: int
    below_batna: int
    outcome: float
    joint: float
    alignment: float
    total: float


@dataclass
class SuiteReport:
    scenario: str
    team: str
    seeds: list[int]
    rows: list[Row]
    checks: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c["ok"] for c in self.checks)

    def as_dict(self) -> dict:
        return {"scenario": self.scenario, "team": self.team, "seeds": self.seeds, "passed": self.passed,
                "rows": [asdict(r) for r in self.rows], "checks": self.checks}


def run_suite(scenario: Scenario, team: str = "vn", seeds: list[int] | tuple[int, ...] = (1, 2, 3),
              strategies: list[str] | None = None) -> SuiteReport:
    """Play every strategy for `team` against every persona of the other team, once per seed."""
    other = scenario.other_team(team)
    names = strategies or list(STRATEGIES)
    unknown = [n for n in names if n not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategies: {', '.join(unknown)} (known: {', '.join(STRATEGIES)})")
    if not seeds:
        raise ValueError("give at least one seed")
    rows: list[Row] = []
    for persona in (p.id for p in scenario.personas_for(other)):
        for name in names:
            scores = []
            for i, seed in enumerate(seeds):
                events = play_game(scenario, {other: persona, team: strategy_player(scenario, name)}, game_seed(seed, i))
                scores.append(score_match(scenario, events))
            board = [s.leaderboard[team] for s in scores]
            rows.append(Row(
                strategy=name, persona=persona, degenerate=STRATEGIES[name][2], games=len(scores),
                deals=sum(1 for s in scores if s.result == "deal"),
                below_batna=sum(1 for s in scores if s.outcome[team].below_batna),
                outcome=round(fmean(b.outcome for b in board), 1), joint=round(fmean(b.joint for b in board), 1),
                alignment=round(fmean(b.alignment for b in board), 1), total=round(fmean(b.score for b in board), 1),
            ))
    report = SuiteReport(scenario=f"{scenario.id} v{scenario.version}", team=team, seeds=list(seeds), rows=rows)
    report.checks = _checks(report, names)
    return report


def _checks(report: SuiteReport, names: list[str]) -> list[dict]:
    checks = []
    by = {(r.persona, r.strategy): r for r in report.rows}
    w_align = DEFAULT_WEIGHTS["alignment"]
    for persona in dict.fromkeys(r.persona for r in report.rows):
        mine = [r for r in report.rows if r.persona == persona]
        if PRINCIPLED in names:
            top = by[(persona, PRINCIPLED)]
            others = [r for r in mine if r.strategy != PRINCIPLED]
            degenerate = [r for r in others if r.degenerate]
            best = max(degenerate, key=lambda r: r.total, default=None)
            first = all(top.total >= r.total for r in others)
            checks.append({
                "check": "principled ranks first", "persona": persona, "ok": first,
                "detail": f"principled {top.total}; best other {max((r.total for r in others), default=None)}",
            })
            if best is not None:
                checks.append({
                    "check": f"principled at least {MARGIN:g} ahead of every degenerate strategy", "persona": persona,
                    "ok": top.total - best.total >= MARGIN,
                    "detail": f"principled {top.total}, best degenerate {best.strategy} {best.total}: gap {top.total - best.total:.1f}",
                })
        if ALIGNED in names and DIVIDED in names:
            a, d = by[(persona, ALIGNED)], by[(persona, DIVIDED)]
            gap = round(w_align * (a.alignment - d.alignment), 1)
            checks.append({
                "check": f"aligned beats divided by at least {ALIGNED_GAP:g} with the same deal", "persona": persona,
                "ok": gap >= ALIGNED_GAP,
                "detail": f"alignment {a.alignment} vs {d.alignment}: {w_align:g} x difference = {gap}",
            })
        if BELOW in names:
            b = by[(persona, BELOW)]
            walk = round(w_align * b.alignment, 1)
            checks.append({
                "check": "a below-BATNA deal scores below walking away with the same alignment", "persona": persona,
                "ok": b.below_batna == b.games and b.total < walk,
                "detail": f"{b.strategy}: {b.below_batna}/{b.games} below BATNA, total {b.total} vs walking away {walk}",
            })
    return checks


def format_suite(report: SuiteReport) -> str:
    lines = [f"scenario {report.scenario}, team {report.team} scripted, seeds {report.seeds}", ""]
    head = f"{'persona':16} {'strategy':26} {'deals':>5} {'<BATNA':>6} {'outcome':>8} {'joint':>6} {'align':>6} {'total':>6}"
    lines.append(head)
    lines.append("-" * len(head))
    for r in sorted(report.rows, key=lambda r: (r.persona, -r.total)):
        mark = " *" if r.degenerate else ""
        lines.append(f"{r.persona:16} {r.strategy + mark:26} {r.deals:>5} {r.below_batna:>6} {r.outcome:>8.1f} {r.joint:>6.1f} {r.alignment:>6.1f} {r.total:>6.1f}")
    lines.append("")
    lines.append("* degenerate strategy")
    for c in report.checks:
        lines.append(f"[{'ok' if c['ok'] else 'FAIL'}] {c['persona']}: {c['check']} ({c['detail']})")
    return "\n".join(lines)
