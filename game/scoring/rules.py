"""The rule table: every way a move can change a team's Organisational Alignment Index.

This module is data. The scorer (game.scoring.alignment) looks every rule up here by id, so the
points, marks, reasons and citations a trainee sees are exactly the ones below; docs/scoring.md
lists the same table and a test keeps the two from drifting apart.

Points are signed: a positive rule is credit on its dimension, a negative one is debit. Backpedal
rules carry negative points too; their sum (as a positive number) is the backpedal penalty that is
subtracted from the index. How points become a sub-score (at most 100) is in `subscore` below.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The seed every principle below is quoted from (seeds/README.md): RED BEAR, "How Vietnam's Trade
# Negotiations Show the Power of Organizational Alignment", 17 June 2025.
REDBEAR = "redbear_alignment"

Mark = Literal["!!", "!", "?!", "?", "??"]
MARKS: dict[str, str] = {
    "!!": "brilliant",
    "!": "good",
    "?!": "dubious",
    "?": "mistake",
    "??": "blunder",
}

Dimension = Literal["power", "alignment", "execution", "visibility", "signals", "levels", "backpedal"]
SUBSCORES: tuple[str, ...] = ("power", "alignment", "execution", "visibility", "signals", "levels")
BACKPEDAL = "backpedal"


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    seed: str
    quote: str


class DimensionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Dimension
    title: str
    weight: float  # share of the index (the six weights sum to 1); 0 for the backpedal penalty
    question: str  # what the dimension asks of a team, in one line
    citation: Citation


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    dimension: Dimension
    points: int  # signed: credit (+) or debit (-) on the dimension; backpedal: penalty on the index
    mark: Mark
    title: str
    when: str  # the trigger, in one plain sentence (the documented rule)
    reason: str  # the one-sentence reason shown to the player; str.format template
    citation: Citation
    cap_per_round: int | None = Field(default=None, ge=1)  # at most this many times per team per round
    lesson: str = ""  # the article's lesson the rule illustrates (filled from its dimension when left empty)


def _cite(quote: str) -> Citation:
    return Citation(seed=REDBEAR, quote=quote)


# Verbatim passages of the RED BEAR article (a test checks each one against the seed text).
Q_DEFINITION = (
    "we define organizational power as the ability to influence the other party's expectations and "
    "decisions through both internal alignment and external credibility."
)
Q_CORNERSTONE = "Internal alignment is the cornerstone of organizational power."
Q_BACKPEDAL = (
    "Without it, even the strongest negotiators end up backpedaling mid-discussion, making real-time "
    "concessions, or stalling decisions while they 'circle back' with decision-makers."
)
Q_ALIGN_STAKEHOLDERS = "Aligning Internal Stakeholders Before Negotiation"
Q_ALIGN_BEFORE = "Align Internally Before You Negotiate Externally"
Q_TRANSLATES = "internal alignment translates to external negotiating strength."
Q_RHETORIC = "This wasn't just diplomatic rhetoric; it reflected genuine internal alignment on priorities and approach."
Q_EXECUTION = "Backing Brand Power with Execution Support"
Q_BACKED = "Concrete Concessions Backed by Action"
Q_EMPTY = "Rather than making empty promises, Vietnam demonstrated credibility through measurable actions"
Q_PROOF = "they were proof points that Vietnam could deliver on its promises."
Q_PERFORMANCE = "back promises with performance."
Q_INVISIBLE = "Power that isn't articulated is invisible."
Q_VISIBLE = (
    "Your counterpart can't see your internal alignment, your operational capabilities, or the strategic "
    "depth behind your offer—unless you make it visible."
)
Q_PRESSURES = "Vietnam's negotiators understood the political pressures on both sides."
Q_CONSTRUCTIVE = "Vietnamese leaders maintained a constructive approach"
Q_TRANSACTIONAL = (
    "Understanding that the Trump administration values transactional relationships and measurable outcomes, "
    "Vietnam focused on concrete proposals and visible commitments rather than abstract diplomatic principles."
)
Q_MULTILEVEL = "The negotiations involved everyone from technical teams to the highest levels of government"
Q_LEVELS = "coordinating across multiple levels—from technical teams to ministerial leadership."
Q_PATIENCE = "This long-term strategic positioning gave them leverage in short-term negotiations."
Q_FRAME = "framing their concessions not as capitulation but as alignment with US strategic interests."
Q_HOMEWORK = "demonstrating they had done their homework across all stakeholder groups."

# The article's lessons, in its own headings: every annotation names the one its rule illustrates.
L_ALIGN = "Align Internally Before You Negotiate Externally"
L_PREPARE = "Prepare Your Organization, Not Just Your Presentation"
L_BACKED = "Concrete Concessions Backed by Action"
L_VISIBLE = "Make Power Visible Through Action"
L_MULTILEVEL = "Multi-Level Engagement"
L_PATIENCE = "Strategic Patience with Tactical Flexibility"
L_FRAME = "Frame Concessions as Strategic Choices"
L_CULTURE = "Cultural Intelligence"
DIMENSION_LESSON: dict[str, str] = {
    "power": L_ALIGN, "alignment": L_ALIGN, "execution": L_BACKED, "visibility": L_VISIBLE,
    "signals": L_CULTURE, "levels": L_MULTILEVEL, "backpedal": L_ALIGN,
}

# Words that make a statement hostile (composure lost) or frame a concession as a strategic choice.
# Matched on whole lower-case words or phrases of the statement's text.
HOSTILE_WORDS: tuple[str, ...] = (
    "outrageous", "insult", "insulting", "unacceptable", "we will remember", "retaliate", "retaliation",
    "humiliat", "disgrace", "shameful", "betray", "threat", "bully", "blackmail", "never forgive", "punish",
)
FRAMING_WORDS: tuple[str, ...] = (
    "strategic", "strategy", "long-term", "long term", "partnership", "partner", "supply chain", "china+1",
    "china plus one", "shared interest", "common interest", "mutual", "our choice", "we choose", "we chose",
)
# A proposal that gives up more than this share of the team's room above its BATNA at once is rushed.
RUSHED_SHARE = 0.5
# Probes that count as reading signals per team per round; more are questions for their own sake.
PROBES_PER_ROUND = 2


DIMENSIONS: tuple[DimensionInfo, ...] = (
    DimensionInfo(id="power", title="Organisational power understood", weight=0.15,
                  question="Does the team build credibility and keep it, so that its moves shift the other side?",
                  citation=_cite(Q_DEFINITION)),
    DimensionInfo(id="alignment", title="Internal alignment before the table", weight=0.25,
                  question="Does every role endorse the mandate before the team speaks, and does the team stay inside it?",
                  citation=_cite(Q_CORNERSTONE)),
    DimensionInfo(id="execution", title="Execution backing", weight=0.20,
                  question="Are concessions backed by committed deliverables, and are commitments followed through?",
                  citation=_cite(Q_BACKED)),
    DimensionInfo(id="visibility", title="Power made visible", weight=0.15,
                  question="Does the team articulate its prepared strength and its alignment at the table?",
                  citation=_cite(Q_INVISIBLE)),
    DimensionInfo(id="signals", title="Reading signals", weight=0.10,
                  question="Does the team probe the other side and answer injects the way they call for?",
                  citation=_cite(Q_PRESSURES)),
    DimensionInfo(id="levels", title="Multi-level engagement", weight=0.15,
                  question="Does the team use the leader, minister and technical levels where the round needs them?",
                  citation=_cite(Q_MULTILEVEL)),
    DimensionInfo(id="backpedal", title="Backpedaling penalty", weight=0.0,
                  question="Does the team take back what it offered, reopen what was agreed, or speak with two voices?",
                  citation=_cite(Q_BACKPEDAL)),
)
DIMENSION_BY_ID: dict[str, DimensionInfo] = {d.id: d for d in DIMENSIONS}
INDEX_WEIGHTS: dict[str, float] = {d.id: d.weight for d in DIMENSIONS if d.id in SUBSCORES}

# The leaderboard's mix of the three layers; a workshop may pass its own (see report.leaderboard_weights).
DEFAULT_WEIGHTS: dict[str, float] = {"outcome": 0.45, "joint": 0.20, "alignment": 0.35}

# A sub-score is earned, not given: with no evidence it is 0. Credit counts with diminishing returns
# (HALF_CREDIT points of credit earn half the scale), so repeating a good move adds less and less;
# every point of debit costs DEBIT_WEIGHT points of the sub-score, the same in every round and whatever
# the team earned or lost before (a sub-score has no floor: the tenth mistake costs what the first did):
# subscore = 100 * credit / (credit + HALF_CREDIT) - DEBIT_WEIGHT * debit.
HALF_CREDIT = 8
DEBIT_WEIGHT = 2
# An inject is answered in the targeted team's next this-many turns at the table (floor-passing moves).
INJECT_WINDOW_TURNS = 2


RULES: tuple[Rule, ...] = (
    # --- 1. organisational power: credibility built and kept ------------------------------------
    Rule(id="power.credibility_kept", dimension="power", points=10, mark="!", title="Credibility kept",
         when="At the end of a round in which the team had something on the table (an offer or a commitment made "
              "this round or still standing), made no backpedal, and ends with its mandate endorsed by every role.",
         reason="{team} kept its word through round {round}: nothing it had offered was taken back, so its credibility grew.",
         citation=_cite(Q_DEFINITION)),
    Rule(id="power.moved_them", dimension="power", points=8, mark="!!", title="Credible move shifted the other side",
         when="The other team's next proposal records that its estimate of this team's credibility moved it (a bot's "
              "offer says so in its details), after this team committed a deliverable or showed a capability "
              "(credited to the latest such move).",
         reason="{seat}'s {what} was followed by a better offer from {other}: credible power moved their expectations.",
         citation=_cite(Q_DEFINITION)),
    Rule(id="power.deal_within_mandate", dimension="power", points=10, mark="!",
         title="Deal the organisation can deliver",
         when="A deal worth at least the team's BATNA is reached while its mandate is endorsed by every role, no "
              "term is beyond its walk-away and no role's red line is crossed.",
         reason="The deal sits inside the mandate every role of {team} endorsed, so the team can deliver what it signed.",
         citation=_cite(Q_TRANSLATES)),
    Rule(id="power.deal_beyond_mandate", dimension="power", points=-10, mark="?",
         title="Deal beyond the mandate",
         when="A deal is reached with a term beyond the walk-away of the team's mandate.",
         reason="The deal goes beyond {team}'s walk-away on {issues}: the organisation never endorsed what was signed.",
         citation=_cite(Q_TRANSLATES)),
    Rule(id="power.deal_below_batna", dimension="power", points=-15, mark="??", title="Deal below the BATNA",
         when="A deal is reached that is worth less to the team than its BATNA: walking away was better.",
         reason="{team} signed a deal worth {points} points, below the {batna} it would get by walking away: a capitulation, not a concession.",
         citation=_cite(Q_FRAME), lesson=L_FRAME),
    Rule(id="power.patient_flexible", dimension="power", points=6, mark="!", title="Patient on the core, flexible elsewhere",
         when="At the end of a round in which the team conceded on some issue, none of them a core issue (one its roles "
              "weigh most: average priority of 4 or more, or else the highest total priority), with no rushed concession, "
              "nothing beyond its walk-away and no backpedal, ending with its mandate endorsed by every role.",
         reason="In round {round} {team} moved on {moved} but held {core}: patient on what matters most, flexible on the rest.",
         citation=_cite(Q_PATIENCE), lesson=L_PATIENCE, cap_per_round=1),
    Rule(id="power.rushed_concession", dimension="power", points=-8, mark="?", title="Everything conceded at once",
         when="One proposal gives up more than half of the team's room above its BATNA (on its own sheet) compared with "
              "its previous proposal, or with its ideal package for a first proposal.",
         reason="{seat} gave up {given} points in one proposal, more than half of {team}'s {room} points of room above its BATNA: nothing left to trade with later.",
         citation=_cite(Q_PATIENCE), lesson=L_PATIENCE),
    # --- 2. internal alignment before the table ------------------------------------------------
    Rule(id="alignment.mandate_endorsed", dimension="alignment", points=15, mark="!", title="Aligned before the table",
         when="The team's first table move of a round comes with a mandate covering the round's agenda that every "
              "role has endorsed (the drafter's endorsement is implied).",
         reason="{team} came to the table with a mandate every role had endorsed.",
         citation=_cite(Q_CORNERSTONE)),
    Rule(id="alignment.blank_cheque", dimension="alignment", points=-12, mark="?", title="Blank-cheque mandate",
         when="The team's first table move of a round comes with a mandate every role endorsed but whose walk-away "
              "crosses a role's red line: the endorsement signs away a line the role cannot live with, so it earns "
              "no credit as alignment.",
         reason="{team}'s mandate is a blank cheque: its walk-away on {issues} crosses the red line of {roles}, who endorsed it anyway.",
         citation=_cite(Q_HOMEWORK), lesson=L_PREPARE),
    Rule(id="alignment.red_line_crossed", dimension="alignment", points=-10, mark="??", title="Deal crosses a red line",
         when="At a deal, for each role of the team whose red line the final package crosses.",
         reason="The deal crosses {role}'s red line on {issues}: the team signed what one of its own cannot deliver.",
         citation=_cite(Q_HOMEWORK), lesson=L_PREPARE),
    Rule(id="alignment.mandate_unendorsed", dimension="alignment", points=-10, mark="?",
         title="Mandate not endorsed by all",
         when="The team's first table move of a round comes before every role has endorsed the current mandate.",
         reason="{team} came to the table before {missing} endorsed the mandate.",
         citation=_cite(Q_ALIGN_STAKEHOLDERS)),
    Rule(id="alignment.no_mandate", dimension="alignment", points=-15, mark="??", title="No mandate",
         when="The team's first table move of a round comes with no mandate covering the round's agenda.",
         reason="{team} came to the table with no mandate covering this round's agenda.",
         citation=_cite(Q_ALIGN_STAKEHOLDERS)),
    Rule(id="alignment.beyond_walkaway", dimension="alignment", points=-12, mark="??", title="Beyond the walk-away",
         when="A proposal, or the acceptance of the other team's offer, gives an option worse for the team than "
              "the walk-away of its current mandate on some issue.",
         reason="{seat} {verb} {issues} beyond the walk-away the team agreed: a real-time concession.",
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="alignment.objection_resolved", dimension="alignment", points=8, mark="!", title="Objection resolved",
         when="A role that objected to the mandate later endorses it (a redraft, or the same draft after talking "
              "it through) or drafts the new version itself.",
         reason="{seat}'s objection was resolved: they now endorse the team's mandate.",
         citation=_cite(Q_ALIGN_BEFORE)),
    Rule(id="alignment.objection_overruled", dimension="alignment", points=-10, mark="?", title="Objection overruled",
         when="The team's first table move of a round is made while a role's objection is unresolved "
              "(counted once per objection).",
         reason="{team} went to the table over {objector}'s unresolved objection to the mandate.",
         citation=_cite(Q_ALIGN_BEFORE)),
    # --- 3. execution backing --------------------------------------------------------------------
    Rule(id="execution.commitment", dimension="execution", points=4, mark="!", title="Deliverable committed",
         when="The team commits a prepared deliverable at the table.",
         reason="{seat} committed {deliverable} at the table: a promise with an execution card behind it.",
         citation=_cite(Q_PROOF)),
    Rule(id="execution.backed_concession", dimension="execution", points=6, mark="!", title="Backed concession",
         when="A proposal concedes an issue (gives the other side more than the team's previous proposal, or than "
              "its ideal for a first proposal) to an option that a deliverable the team has committed backs.",
         reason="{seat}'s concession on {issue} is backed by the committed {deliverable}, so {other} can count on it.",
         citation=_cite(Q_BACKED)),
    Rule(id="execution.empty_promise", dimension="execution", points=-6, mark="?", title="Empty promise",
         when="A proposal concedes an issue to an option that one of the team's deliverables could back, whose act "
              "was already possible (its date had come), but the team has not committed that deliverable. A card not "
              "yet possible makes no concession empty.",
         reason="{seat} conceded {issue} without committing {deliverable}, the card that would make it real: an empty promise.",
         citation=_cite(Q_EMPTY)),
    Rule(id="execution.followed_through", dimension="execution", points=8, mark="!!", title="Commitment followed through",
         when="At a deal, for each committed deliverable whose backed options are in the final package.",
         reason="{deliverable}, committed by {seat}, backs {terms} in the final deal: a commitment followed through.",
         citation=_cite(Q_PERFORMANCE)),
    Rule(id="execution.unbacked_deal_term", dimension="execution", points=-5, mark="?", title="Deal term left unbacked",
         when="At a deal, for each of the team's deliverables that backs a term of the final package and was possible by "
              "the deal's round (its date had come), but was never committed.",
         reason="The deal commits {team} to {terms}, but {deliverable} was never committed to make it real.",
         citation=_cite(Q_EXECUTION)),
    Rule(id="execution.commitment_dropped", dimension="execution", points=-4, mark="?!", title="Commitment dropped",
         when="At a deal, for each committed deliverable none of whose backed options is in the final package.",
         reason="{deliverable} was committed but nothing it backs made the final deal: the promise was spent for nothing.",
         citation=_cite(Q_PERFORMANCE)),
    # --- 4. power made visible -------------------------------------------------------------------
    Rule(id="visibility.capability_shown", dimension="visibility", points=10, mark="!", title="Capability shown",
         when="The team shows a prepared deliverable at the table (the first time for that deliverable).",
         reason="{seat} made {deliverable} visible at the table.",
         citation=_cite(Q_INVISIBLE)),
    Rule(id="visibility.alignment_shown", dimension="visibility", points=10, mark="!", title="Alignment articulated",
         when="The team articulates its alignment at the table while its mandate is endorsed by every role.",
         reason="{seat} articulated the mandate every role of {team} endorsed.",
         citation=_cite(Q_VISIBLE), cap_per_round=1),
    Rule(id="visibility.hollow_alignment", dimension="visibility", points=-6, mark="?!", title="Hollow claim of alignment",
         when="The team claims alignment at the table while its mandate is missing or not endorsed by every role.",
         reason="{seat} claimed an alignment {team} does not have: {missing}.",
         citation=_cite(Q_RHETORIC), cap_per_round=1),
    Rule(id="visibility.invisible_power", dimension="visibility", points=-8, mark="?", title="Power left invisible",
         when="At the end of a round in which the team acted at the table but neither showed a capability nor "
              "committed a deliverable, while it held strength never yet made visible: a prepared deliverable not "
              "yet shown or committed, or an endorsed mandate whose alignment it has not articulated.",
         reason="{team} had {what} ready in round {round} but never made it visible at the table.",
         citation=_cite(Q_INVISIBLE)),
    Rule(id="visibility.repeated_claim", dimension="visibility", points=-3, mark="?!", title="Claim repeated",
         when="The team articulates an alignment it already articulated this round, claims a hollow one again, or "
              "shows a deliverable already on the table: repetition adds no evidence.",
         reason="{seat} repeated {what}: nothing new for {other} to see, so it earns nothing and spends the team's time.",
         citation=_cite(Q_RHETORIC), lesson=L_VISIBLE),
    Rule(id="visibility.framed_concession", dimension="visibility", points=5, mark="!", title="Concession framed as a choice",
         when="After conceding in a round, the team makes a statement that frames the concession as a strategic "
              "choice (partnership, long-term, supply chains, shared interests).",
         reason="{seat} framed {team}'s concession as a strategic choice, not a capitulation.",
         citation=_cite(Q_FRAME), lesson=L_FRAME, cap_per_round=1),
    # --- 5. reading signals ---------------------------------------------------------------------
    Rule(id="signals.probe", dimension="signals", points=5, mark="!", title="Probe",
         when="The team probes the other side's constraints on an issue.",
         reason="{seat} probed {other}'s constraints on {issue}.",
         citation=_cite(Q_PRESSURES)),
    Rule(id="signals.idle_probe", dimension="signals", points=-3, mark="?!", title="Probe out of context",
         when="A probe on an issue off the round's agenda, on an issue the team already probed, or beyond two probes "
              "in a round: questions asked for the sake of asking.",
         reason="{seat} probed {issue} {why}: the answer adds nothing the team can use.",
         citation=_cite(Q_PRESSURES), lesson=L_CULTURE),
    Rule(id="signals.composure", dimension="signals", points=10, mark="!!", title="Composure under provocation",
         when="After an inject that expects composure, the team makes a calm (not hostile) statement within its next "
              "two turns and neither recesses, withdraws nor proposes anything worse for the other side.",
         reason="After \"{inject}\", {seat} answered with a statement while {team} kept its offer and its seat at the table.",
         citation=_cite(Q_CONSTRUCTIVE)),
    Rule(id="signals.lost_composure", dimension="signals", points=-10, mark="?", title="Provoked",
         when="Within two turns of an inject that expects composure, the team recesses, withdraws its offer, "
              "proposes something worse for the other side than it already offered, or makes a hostile statement.",
         reason="After \"{inject}\", {seat} {what}: the provocation set {team}'s agenda.",
         citation=_cite(Q_CONSTRUCTIVE)),
    Rule(id="signals.concrete_proposal", dimension="signals", points=10, mark="!", title="Concrete answer",
         when="Within two turns of an inject that expects a concrete proposal, the team proposes a package that "
              "moves towards the other side (a concession on some issue) or commits a deliverable (a visible commitment).",
         reason="After \"{inject}\", {seat} answered with {what}, not with principles.",
         citation=_cite(Q_TRANSACTIONAL)),
    Rule(id="signals.vague_response", dimension="signals", points=-5, mark="?!", title="Vague answer",
         when="Two turns pass after an inject that expects a concrete proposal without the team proposing a "
              "package that moves or committing a deliverable.",
         reason="After \"{inject}\", {team} answered a transactional counterpart without a concrete package.",
         citation=_cite(Q_TRANSACTIONAL)),
    Rule(id="signals.reassurance", dimension="signals", points=8, mark="!", title="Reassurance",
         when="Within two turns of an inject that expects reassurance, the team makes a statement or shows a "
              "capability (not a hollow one) before any offer worse for the other side.",
         reason="After \"{inject}\", {seat} reassured the other side at the table.",
         citation=_cite(Q_CONSTRUCTIVE)),
    # --- 6. multi-level engagement --------------------------------------------------------------
    Rule(id="levels.level_used", dimension="levels", points=6, mark="!", title="Level engaged",
         when="The first table move in a round by a seat at a level the round needs (a table move's level is the "
              "acting role's level).",
         reason="{seat} engaged the {level} level, which this round's agenda needs.",
         citation=_cite(Q_MULTILEVEL)),
    Rule(id="levels.level_missing", dimension="levels", points=-8, mark="?", title="Level missing",
         when="At the end of a round in which the team acted at the table, for each level the round needs, that the "
              "team has, and that none of its table moves used.",
         reason="Round {round} needed the {level} level at the table, but {team} never used it.",
         citation=_cite(Q_LEVELS)),
    # --- backpedaling (a penalty on the index) ------------------------------------------------------
    Rule(id="backpedal.worse_offer", dimension="backpedal", points=-8, mark="??", title="Worse offer",
         when="A proposal is worth less, on the other team's sheet, than an offer the team already made.",
         reason="{seat} offered {other} less than {team} had already offered: backpedaling mid-discussion.",
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.reopened", dimension="backpedal", points=-6, mark="?", title="Agreed item reopened",
         when="A proposal changes an issue on which both teams' standing offers already agreed.",
         reason="{seat} reopened {issues}, already agreed in both teams' offers.",
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.hostile_statement", dimension="backpedal", points=-8, mark="??", title="Hostile statement",
         when="A statement at the table that attacks or threatens the other side (whether or not an inject provoked "
              "it): words the team will have to walk back.",
         reason="{seat}'s statement attacked {other}: words {team} will have to walk back, and the provocation set its agenda.",
         citation=_cite(Q_CONSTRUCTIVE), lesson=L_CULTURE),
    Rule(id="backpedal.unplanned_recess", dimension="backpedal", points=-5, mark="?", title="Unplanned recess",
         when="A recess called while the team's mandate is missing or not endorsed by every role (it has to "
              "circle back to its decision-makers), or the team's second or later recess of the round.",
         reason="{seat} called a recess to circle back: {why}.",
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.contradiction", dimension="backpedal", points=-8, mark="??", title="Teammates contradict each other",
         when="A seat proposes a package that differs from the team's standing offer, made by a teammate earlier "
              "in the same table phase, while the other team has made no new offer since.",
         reason="{seat}'s package contradicts teammate {teammate}'s on {issues} with nothing new from {other}.",
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.objector_offer", dimension="backpedal", points=-8, mark="??", title="Objector freelancing",
         when="A seat with an unresolved objection to the mandate proposes a package beyond its walk-away.",
         reason="{seat}, who objected to the mandate, proposed {issues} beyond its walk-away: two voices at the table.",
         citation=_cite(Q_BACKPEDAL)),
)
from game.scoring.epilogue import EPILOGUE_RULES  # noqa: E402  (built on Rule and the quotes above)

RULES = (*RULES, *EPILOGUE_RULES)
RULES = tuple(r if r.lesson else r.model_copy(update={"lesson": DIMENSION_LESSON[r.dimension]}) for r in RULES)
RULE_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

assert len(RULE_BY_ID) == len(RULES), "duplicate rule id"
assert all(r.dimension in DIMENSION_BY_ID for r in RULES)
assert abs(sum(INDEX_WEIGHTS.values()) - 1.0) < 1e-9, INDEX_WEIGHTS
assert abs(sum(DEFAULT_WEIGHTS.values()) - 1.0) < 1e-9, DEFAULT_WEIGHTS


def subscore(credit: int, debit: int) -> float:
    """A sub-score (below 100; 0 without evidence; no floor, so every mistake costs the same) from the points
    a team earned (credit) and lost (debit, a positive number)."""
    return 100.0 * credit / (credit + HALF_CREDIT) - DEBIT_WEIGHT * debit


def rules_markdown() -> str:
    """The rule table as a markdown table (pasted into docs/scoring.md; a test checks it is still there)."""
    lines = [
        "| rule | dimension | points | mark | when | lesson | citation |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in RULES:
        cap = f" At most {r.cap_per_round} per round." if r.cap_per_round else ""
        lines.append(
            f"| `{r.id}` | {r.dimension} | {r.points:+d} | {r.mark} | {r.when}{cap} | {r.lesson} | {r.citation.seed}: \"{r.citation.quote}\" |"
        )
    return "\n".join(lines)
