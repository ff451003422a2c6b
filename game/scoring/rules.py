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

from game.scenario.text import gettext_noop

# The seed every principle below is quoted from (seeds/README.md): RED BEAR, "How Vietnam's Trade
# Negotiations Show the Power of Organizational Alignment", 17 June 2025.
REDBEAR = "redbear_alignment"

Mark = Literal["!!", "!", "?!", "?", "??"]
MARKS: dict[str, str] = {
    "!!": gettext_noop("brilliant"),
    "!": gettext_noop("good"),
    "?!": gettext_noop("dubious"),
    "?": gettext_noop("mistake"),
    "??": gettext_noop("blunder"),
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
    short: str  # a word for a narrow place (a replay's bar)
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
    reason: str  # the one-sentence reason shown to the player: a message id with %(name)s values (game.scenario.text.Text)
    # The rule's other reasons, one whole sentence per situation the scorer names (never a sentence pieced together).
    variants: dict[str, str] = {}
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
L_ALIGN = gettext_noop("Align Internally Before You Negotiate Externally")
L_PREPARE = gettext_noop("Prepare Your Organization, Not Just Your Presentation")
L_BACKED = gettext_noop("Concrete Concessions Backed by Action")
L_VISIBLE = gettext_noop("Make Power Visible Through Action")
L_MULTILEVEL = gettext_noop("Multi-Level Engagement")
L_PATIENCE = gettext_noop("Strategic Patience with Tactical Flexibility")
L_FRAME = gettext_noop("Frame Concessions as Strategic Choices")
L_CULTURE = gettext_noop("Cultural Intelligence")
DIMENSION_LESSON: dict[str, str] = {
    "power": L_ALIGN, "alignment": L_ALIGN, "execution": L_BACKED, "visibility": L_VISIBLE,
    "signals": L_CULTURE, "levels": L_MULTILEVEL, "backpedal": L_ALIGN,
}

# Words that make a statement hostile (composure lost) or frame a concession as a strategic choice.
# Matched on whole lower-case words or phrases of the statement's text, in English or Vietnamese (what a
# person writes is read as written; a bot's sentence in its English).
HOSTILE_WORDS: tuple[str, ...] = (
    "outrageous", "insult", "insulting", "unacceptable", "we will remember", "retaliate", "retaliation",
    "humiliat", "disgrace", "shameful", "betray", "threat", "bully", "blackmail", "never forgive", "punish",
    # The same in Vietnamese: a trainee may speak at the table in either language.
    "xúc phạm", "sỉ nhục", "lăng mạ", "không thể chấp nhận", "thật vô lý", "trả đũa", "đe dọa", "đe doạ",
    "bắt nạt", "tống tiền", "phản bội", "đáng xấu hổ", "nhục nhã", "chúng tôi sẽ ghi nhớ", "không bao giờ tha thứ",
)
FRAMING_WORDS: tuple[str, ...] = (
    "strategic", "strategy", "long-term", "long term", "partnership", "partner", "supply chain", "china+1",
    "china plus one", "shared interest", "common interest", "mutual", "our choice", "we choose", "we chose",
    "chiến lược", "lâu dài", "quan hệ đối tác", "đối tác tin cậy", "chuỗi cung ứng", "lợi ích chung", "cùng có lợi", "hai bên cùng",
    "lựa chọn của chúng tôi", "chúng tôi chọn", "chúng tôi lựa chọn",
)
# A proposal that gives up more than this share of the team's room above its BATNA at once is rushed.
RUSHED_SHARE = 0.5
# Probes that count as reading signals per team per round; more are questions for their own sake.
PROBES_PER_ROUND = 2


DIMENSIONS: tuple[DimensionInfo, ...] = (
    DimensionInfo(id="power", title=gettext_noop("Organisational power understood"), short=gettext_noop("power"), weight=0.15,
                  question=gettext_noop("Does the team build credibility and keep it, so that its moves shift the other side?"),
                  citation=_cite(Q_DEFINITION)),
    DimensionInfo(id="alignment", title=gettext_noop("Internal alignment before the table"), short=gettext_noop("alignment"), weight=0.25,
                  question=gettext_noop("Does every role endorse the mandate before the team speaks, and does the team stay inside it?"),
                  citation=_cite(Q_CORNERSTONE)),
    DimensionInfo(id="execution", title=gettext_noop("Execution backing"), short=gettext_noop("execution"), weight=0.20,
                  question=gettext_noop("Are concessions backed by committed deliverables, and are commitments followed through?"),
                  citation=_cite(Q_BACKED)),
    DimensionInfo(id="visibility", title=gettext_noop("Power made visible"), short=gettext_noop("visibility"), weight=0.15,
                  question=gettext_noop("Does the team articulate its prepared strength and its alignment at the table?"),
                  citation=_cite(Q_INVISIBLE)),
    DimensionInfo(id="signals", title=gettext_noop("Reading signals"), short=gettext_noop("signals"), weight=0.10,
                  question=gettext_noop("Does the team probe the other side and answer injects the way they call for?"),
                  citation=_cite(Q_PRESSURES)),
    DimensionInfo(id="levels", title=gettext_noop("Multi-level engagement"), short=gettext_noop("levels"), weight=0.15,
                  question=gettext_noop("Does the team use the leader, minister and technical levels where the round needs them?"),
                  citation=_cite(Q_MULTILEVEL)),
    DimensionInfo(id="backpedal", title=gettext_noop("Backpedaling penalty"), short=gettext_noop("backpedal"), weight=0.0,
                  question=gettext_noop("Does the team take back what it offered, reopen what was agreed, or speak with two voices?"),
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
    Rule(id="power.credibility_kept", dimension="power", points=10, mark="!", title=gettext_noop("Credibility kept"),
         when=gettext_noop("At the end of a round in which the team had something on the table (an offer or a commitment made "
              "this round or still standing), made no backpedal, and ends with its mandate endorsed by every role."),
         reason=gettext_noop("%(team)s kept its word through round %(round)s: nothing it had offered was taken back, so its credibility grew."),
         citation=_cite(Q_DEFINITION)),
    Rule(id="power.moved_them", dimension="power", points=8, mark="!!", title=gettext_noop("Credible move shifted the other side"),
         when=gettext_noop("The other team's next proposal records that its estimate of this team's credibility moved it (a bot's "
              "offer says so in its details), after this team committed a deliverable or showed a capability "
              "(credited to the latest such move)."),
         reason=gettext_noop("%(seat)s's commitment of %(deliverable)s was followed by a better offer from %(other)s: credible power "
                             "moved their expectations."),
         variants={
             "shown": gettext_noop("%(seat)s's showing of %(deliverable)s was followed by a better offer from %(other)s: credible "
                                   "power moved their expectations."),
             "alignment": gettext_noop("%(seat)s's articulation of the team's alignment was followed by a better offer from "
                                       "%(other)s: credible power moved their expectations."),
         },
         citation=_cite(Q_DEFINITION)),
    Rule(id="power.deal_within_mandate", dimension="power", points=10, mark="!",
         title=gettext_noop("Deal the organisation can deliver"),
         when=gettext_noop("A deal worth at least the team's BATNA is reached while its mandate is endorsed by every role, no "
              "term is beyond its walk-away and no role's red line is crossed."),
         reason=gettext_noop("The deal sits inside the mandate every role of %(team)s endorsed, so the team can deliver what it signed."),
         citation=_cite(Q_TRANSLATES)),
    Rule(id="power.deal_beyond_mandate", dimension="power", points=-10, mark="?",
         title=gettext_noop("Deal beyond the mandate"),
         when=gettext_noop("A deal is reached with a term beyond the walk-away of the team's mandate."),
         reason=gettext_noop("The deal goes beyond %(team)s's walk-away on %(issues)s: the organisation never endorsed what was signed."),
         citation=_cite(Q_TRANSLATES)),
    Rule(id="power.deal_below_batna", dimension="power", points=-15, mark="??", title=gettext_noop("Deal below the BATNA"),
         when=gettext_noop("A deal is reached that is worth less to the team than its BATNA: walking away was better."),
         reason=gettext_noop("%(team)s signed a deal worth %(points)s points, below the %(batna)s it would get by walking away: a capitulation, not a concession."),
         citation=_cite(Q_FRAME), lesson=L_FRAME),
    Rule(id="power.patient_flexible", dimension="power", points=6, mark="!", title=gettext_noop("Patient on the core, flexible elsewhere"),
         when=gettext_noop("At the end of a round in which the team conceded on some issue, none of them a core issue (one its roles "
              "weigh most: average priority of 4 or more, or else the highest total priority), with no rushed concession, "
              "nothing beyond its walk-away and no backpedal, ending with its mandate endorsed by every role."),
         reason=gettext_noop("In round %(round)s %(team)s moved on %(moved)s but held %(core)s: patient on what matters most, flexible on the rest."),
         citation=_cite(Q_PATIENCE), lesson=L_PATIENCE, cap_per_round=1),
    Rule(id="power.rushed_concession", dimension="power", points=-8, mark="?", title=gettext_noop("Everything conceded at once"),
         when=gettext_noop("One proposal gives up more than half of the team's room above its BATNA (on its own sheet) compared with "
              "its previous proposal, or with its ideal package for a first proposal."),
         reason=gettext_noop("%(seat)s gave up %(given)s points in one proposal, more than half of %(team)s's %(room)s points of room above its BATNA: nothing left to trade with later."),
         citation=_cite(Q_PATIENCE), lesson=L_PATIENCE),
    # --- 2. internal alignment before the table ------------------------------------------------
    Rule(id="alignment.mandate_endorsed", dimension="alignment", points=15, mark="!", title=gettext_noop("Aligned before the table"),
         when=gettext_noop("The team's first table move of a round comes with a mandate covering the round's agenda that every "
              "role has endorsed (the drafter's endorsement is implied)."),
         reason=gettext_noop("%(team)s came to the table with a mandate every role had endorsed."),
         citation=_cite(Q_CORNERSTONE)),
    Rule(id="alignment.blank_cheque", dimension="alignment", points=-12, mark="?", title=gettext_noop("Blank-cheque mandate"),
         when=gettext_noop("The team's first table move of a round comes with a mandate every role endorsed but whose walk-away "
              "crosses a role's red line: the endorsement signs away a line the role cannot live with, so it earns "
              "no credit as alignment."),
         reason=gettext_noop("%(team)s's mandate is a blank cheque: its walk-away on %(issues)s crosses the red line of %(roles)s, who endorsed it anyway."),
         citation=_cite(Q_HOMEWORK), lesson=L_PREPARE),
    Rule(id="alignment.red_line_crossed", dimension="alignment", points=-10, mark="??", title=gettext_noop("Deal crosses a red line"),
         when=gettext_noop("At a deal, for each role of the team whose red line the final package crosses."),
         reason=gettext_noop("The deal crosses %(role)s's red line on %(issues)s: the team signed what one of its own cannot deliver."),
         citation=_cite(Q_HOMEWORK), lesson=L_PREPARE),
    Rule(id="alignment.mandate_unendorsed", dimension="alignment", points=-10, mark="?",
         title=gettext_noop("Mandate not endorsed by all"),
         when=gettext_noop("The team's first table move of a round comes before every role has endorsed the current mandate."),
         reason=gettext_noop("%(team)s came to the table before %(missing)s endorsed the mandate."),
         citation=_cite(Q_ALIGN_STAKEHOLDERS)),
    Rule(id="alignment.no_mandate", dimension="alignment", points=-15, mark="??", title=gettext_noop("No mandate"),
         when=gettext_noop("The team's first table move of a round comes with no mandate covering the round's agenda."),
         reason=gettext_noop("%(team)s came to the table with no mandate covering this round's agenda."),
         citation=_cite(Q_ALIGN_STAKEHOLDERS)),
    Rule(id="alignment.beyond_walkaway", dimension="alignment", points=-12, mark="??", title=gettext_noop("Beyond the walk-away"),
         when=gettext_noop("A proposal, or the acceptance of the other team's offer, gives an option worse for the team than "
              "the walk-away of its current mandate on some issue."),
         reason=gettext_noop("%(seat)s offered %(issues)s beyond the walk-away the team agreed: a real-time concession."),
         variants={"accepted": gettext_noop("%(seat)s accepted %(issues)s beyond the walk-away the team agreed: a real-time concession.")},
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="alignment.objection_resolved", dimension="alignment", points=8, mark="!", title=gettext_noop("Objection resolved"),
         when=gettext_noop("A role that objected to the mandate later endorses it (a redraft, or the same draft after talking "
              "it through) or drafts the new version itself."),
         reason=gettext_noop("%(seat)s's objection was resolved: they now endorse the team's mandate."),
         citation=_cite(Q_ALIGN_BEFORE)),
    Rule(id="alignment.objection_overruled", dimension="alignment", points=-10, mark="?", title=gettext_noop("Objection overruled"),
         when=gettext_noop("The team's first table move of a round is made while a role's objection is unresolved "
              "(counted once per objection)."),
         reason=gettext_noop("%(team)s went to the table over %(objector)s's unresolved objection to the mandate."),
         citation=_cite(Q_ALIGN_BEFORE)),
    # --- 3. execution backing --------------------------------------------------------------------
    Rule(id="execution.commitment", dimension="execution", points=4, mark="!", title=gettext_noop("Deliverable committed"),
         when=gettext_noop("The team commits a prepared deliverable at the table."),
         reason=gettext_noop("%(seat)s committed %(deliverable)s at the table: a promise with an execution card behind it."),
         citation=_cite(Q_PROOF)),
    Rule(id="execution.backed_concession", dimension="execution", points=6, mark="!", title=gettext_noop("Backed concession"),
         when=gettext_noop("A proposal concedes an issue (gives the other side more than the team's previous proposal, or than "
              "its ideal for a first proposal) to an option that a deliverable the team has committed backs."),
         reason=gettext_noop("%(seat)s's concession on %(issue)s is backed by the committed %(deliverable)s, so %(other)s can count on it."),
         citation=_cite(Q_BACKED)),
    Rule(id="execution.empty_promise", dimension="execution", points=-6, mark="?", title=gettext_noop("Empty promise"),
         when=gettext_noop("A proposal concedes an issue to an option that one of the team's deliverables could back, whose act "
              "was already possible (its date had come), but the team has not committed that deliverable. A card not "
              "yet possible makes no concession empty."),
         reason=gettext_noop("%(seat)s conceded %(issue)s without committing %(deliverable)s, the card that would make it real: an empty promise."),
         citation=_cite(Q_EMPTY)),
    Rule(id="execution.followed_through", dimension="execution", points=8, mark="!!", title=gettext_noop("Commitment followed through"),
         when=gettext_noop("At a deal, for each committed deliverable whose backed options are in the final package."),
         reason=gettext_noop("%(deliverable)s, committed by %(seat)s, backs %(terms)s in the final deal: a commitment followed through."),
         citation=_cite(Q_PERFORMANCE)),
    Rule(id="execution.unbacked_deal_term", dimension="execution", points=-5, mark="?", title=gettext_noop("Deal term left unbacked"),
         when=gettext_noop("At a deal, for each of the team's deliverables that backs a term of the final package and was possible by "
              "the deal's round (its date had come), but was never committed."),
         reason=gettext_noop("The deal commits %(team)s to %(terms)s, but %(deliverable)s was never committed to make it real."),
         citation=_cite(Q_EXECUTION)),
    Rule(id="execution.commitment_dropped", dimension="execution", points=-4, mark="?!", title=gettext_noop("Commitment dropped"),
         when=gettext_noop("At a deal, for each committed deliverable none of whose backed options is in the final package."),
         reason=gettext_noop("%(deliverable)s was committed but nothing it backs made the final deal: the promise was spent for nothing."),
         citation=_cite(Q_PERFORMANCE)),
    # --- 4. power made visible -------------------------------------------------------------------
    Rule(id="visibility.capability_shown", dimension="visibility", points=10, mark="!", title=gettext_noop("Capability shown"),
         when=gettext_noop("The team shows a prepared deliverable at the table (the first time for that deliverable)."),
         reason=gettext_noop("%(seat)s made %(deliverable)s visible at the table."),
         citation=_cite(Q_INVISIBLE)),
    Rule(id="visibility.alignment_shown", dimension="visibility", points=10, mark="!", title=gettext_noop("Alignment articulated"),
         when=gettext_noop("The team articulates its alignment at the table while its mandate is endorsed by every role."),
         reason=gettext_noop("%(seat)s articulated the mandate every role of %(team)s endorsed."),
         citation=_cite(Q_VISIBLE), cap_per_round=1),
    Rule(id="visibility.hollow_alignment", dimension="visibility", points=-6, mark="?!", title=gettext_noop("Hollow claim of alignment"),
         when=gettext_noop("The team claims alignment at the table while its mandate is missing or not endorsed by every role."),
         reason=gettext_noop("%(seat)s claimed an alignment %(team)s does not have: there is no mandate for this round's agenda."),
         variants={"unendorsed": gettext_noop("%(seat)s claimed an alignment %(team)s does not have: %(missing)s had not endorsed "
                                              "the mandate.")},
         citation=_cite(Q_RHETORIC), cap_per_round=1),
    Rule(id="visibility.invisible_power", dimension="visibility", points=-8, mark="?", title=gettext_noop("Power left invisible"),
         when=gettext_noop("At the end of a round in which the team acted at the table but neither showed a capability nor "
              "committed a deliverable, while it held strength never yet made visible: a prepared deliverable not "
              "yet shown or committed, or an endorsed mandate whose alignment it has not articulated."),
         reason=gettext_noop("%(team)s had %(cards)s ready in round %(round)s but never made it visible at the table."),
         variants={
             "mandate": gettext_noop("%(team)s had an endorsed mandate ready in round %(round)s but never made it visible at the table."),
             "both": gettext_noop("%(team)s had %(cards)s and an endorsed mandate ready in round %(round)s but never made it visible "
                                  "at the table."),
         },
         citation=_cite(Q_INVISIBLE)),
    Rule(id="visibility.repeated_claim", dimension="visibility", points=-3, mark="?!", title=gettext_noop("Claim repeated"),
         when=gettext_noop("The team articulates an alignment it already articulated this round, claims a hollow one again, or "
              "shows a deliverable already on the table: repetition adds no evidence."),
         reason=gettext_noop("%(seat)s repeated %(deliverable)s, already on the table: nothing new for %(other)s to see, so it earns "
                             "nothing and spends the team's time."),
         variants={
             "alignment": gettext_noop("%(seat)s repeated the team's alignment, already articulated this round: nothing new for "
                                       "%(other)s to see, so it earns nothing and spends the team's time."),
             "hollow": gettext_noop("%(seat)s repeated a claim of alignment the team does not have: nothing new for %(other)s to "
                                    "see, so it earns nothing and spends the team's time."),
         },
         citation=_cite(Q_RHETORIC), lesson=L_VISIBLE),
    Rule(id="visibility.framed_concession", dimension="visibility", points=5, mark="!", title=gettext_noop("Concession framed as a choice"),
         when=gettext_noop("After conceding in a round, the team makes a statement that frames the concession as a strategic "
              "choice (partnership, long-term, supply chains, shared interests)."),
         reason=gettext_noop("%(seat)s framed %(team)s's concession as a strategic choice, not a capitulation."),
         citation=_cite(Q_FRAME), lesson=L_FRAME, cap_per_round=1),
    # --- 5. reading signals ---------------------------------------------------------------------
    Rule(id="signals.probe", dimension="signals", points=5, mark="!", title=gettext_noop("Probe"),
         when=gettext_noop("The team probes the other side's constraints on an issue."),
         reason=gettext_noop("%(seat)s probed %(other)s's constraints on %(issue)s."),
         citation=_cite(Q_PRESSURES)),
    Rule(id="signals.idle_probe", dimension="signals", points=-3, mark="?!", title=gettext_noop("Probe out of context"),
         when=gettext_noop("A probe on an issue off the round's agenda, on an issue the team already probed, or beyond two probes "
              "in a round: questions asked for the sake of asking."),
         reason=gettext_noop("%(seat)s probed %(issue)s although it is not on this round's agenda: the answer adds nothing the team "
                             "can use."),
         variants={
             "again": gettext_noop("%(seat)s probed %(issue)s again, after the team already had its answer: the answer adds "
                                   "nothing the team can use."),
             "too_many": gettext_noop("%(seat)s probed %(issue)s after the team's %(probes)s probes of the round: the answer adds "
                                      "nothing the team can use."),
         },
         citation=_cite(Q_PRESSURES), lesson=L_CULTURE),
    Rule(id="signals.composure", dimension="signals", points=10, mark="!!", title=gettext_noop("Composure under provocation"),
         when=gettext_noop("After an inject that expects composure, the team makes a calm (not hostile) statement within its next "
              "two turns and neither recesses, withdraws nor proposes anything worse for the other side."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s answered with a statement while %(team)s kept its offer and its seat at the table."),
         citation=_cite(Q_CONSTRUCTIVE)),
    Rule(id="signals.lost_composure", dimension="signals", points=-10, mark="?", title=gettext_noop("Provoked"),
         when=gettext_noop("Within two turns of an inject that expects composure, the team recesses, withdraws its offer, "
              "proposes something worse for the other side than it already offered, or makes a hostile statement."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s called a recess: the provocation set %(team)s's agenda."),
         variants={
             "withdrew": gettext_noop("After \"%(inject)s\", %(seat)s withdrew the team's offer: the provocation set %(team)s's agenda."),
             "worse": gettext_noop("After \"%(inject)s\", %(seat)s offered less than the team had already offered: the "
                                   "provocation set %(team)s's agenda."),
             "hostile": gettext_noop("After \"%(inject)s\", %(seat)s answered with a hostile statement: the provocation set "
                                     "%(team)s's agenda."),
         },
         citation=_cite(Q_CONSTRUCTIVE)),
    Rule(id="signals.concrete_proposal", dimension="signals", points=10, mark="!", title=gettext_noop("Concrete answer"),
         when=gettext_noop("Within two turns of an inject that expects a concrete proposal, the team proposes a package that "
              "moves towards the other side (a concession on some issue) or commits a deliverable (a visible commitment)."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s answered with a package that moves towards them, not with principles."),
         variants={"commitment": gettext_noop("After \"%(inject)s\", %(seat)s answered with a visible commitment (%(deliverable)s), "
                                              "not with principles.")},
         citation=_cite(Q_TRANSACTIONAL)),
    Rule(id="signals.vague_response", dimension="signals", points=-5, mark="?!", title=gettext_noop("Vague answer"),
         when=gettext_noop("Two turns pass after an inject that expects a concrete proposal without the team proposing a "
              "package that moves or committing a deliverable."),
         reason=gettext_noop("After \"%(inject)s\", %(team)s answered a transactional counterpart without a concrete package."),
         citation=_cite(Q_TRANSACTIONAL)),
    Rule(id="signals.reassurance", dimension="signals", points=8, mark="!", title=gettext_noop("Reassurance"),
         when=gettext_noop("Within two turns of an inject that expects reassurance, the team makes a statement or shows a "
              "capability (not a hollow one) before any offer worse for the other side."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s reassured the other side at the table."),
         citation=_cite(Q_CONSTRUCTIVE)),
    # --- 6. multi-level engagement --------------------------------------------------------------
    Rule(id="levels.level_used", dimension="levels", points=6, mark="!", title=gettext_noop("Level engaged"),
         when=gettext_noop("The first table move in a round by a seat at a level the round needs (a table move's level is the "
              "acting role's level)."),
         reason=gettext_noop("%(seat)s engaged the %(level)s level, which this round's agenda needs."),
         citation=_cite(Q_MULTILEVEL)),
    Rule(id="levels.level_missing", dimension="levels", points=-8, mark="?", title=gettext_noop("Level missing"),
         when=gettext_noop("At the end of a round in which the team acted at the table, for each level the round needs, that the "
              "team has, and that none of its table moves used."),
         reason=gettext_noop("Round %(round)s needed the %(level)s level at the table, but %(team)s never used it."),
         citation=_cite(Q_LEVELS)),
    # --- backpedaling (a penalty on the index) ------------------------------------------------------
    Rule(id="backpedal.worse_offer", dimension="backpedal", points=-8, mark="??", title=gettext_noop("Worse offer"),
         when=gettext_noop("A proposal is worth less, on the other team's sheet, than an offer the team already made."),
         reason=gettext_noop("%(seat)s offered %(other)s less than %(team)s had already offered: backpedaling mid-discussion."),
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.reopened", dimension="backpedal", points=-6, mark="?", title=gettext_noop("Agreed item reopened"),
         when=gettext_noop("A proposal changes an issue on which both teams' standing offers already agreed."),
         reason=gettext_noop("%(seat)s reopened %(issues)s, already agreed in both teams' offers."),
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.hostile_statement", dimension="backpedal", points=-8, mark="??", title=gettext_noop("Hostile statement"),
         when=gettext_noop("A statement at the table that attacks or threatens the other side (whether or not an inject provoked "
              "it): words the team will have to walk back."),
         reason=gettext_noop("%(seat)s's statement attacked %(other)s: words %(team)s will have to walk back, and the provocation set its agenda."),
         citation=_cite(Q_CONSTRUCTIVE), lesson=L_CULTURE),
    Rule(id="backpedal.unplanned_recess", dimension="backpedal", points=-5, mark="?", title=gettext_noop("Unplanned recess"),
         when=gettext_noop("A recess called while the team's mandate is missing or not endorsed by every role (it has to "
              "circle back to its decision-makers), or the team's second or later recess of the round."),
         reason=gettext_noop("%(seat)s called a recess to circle back: the team has no mandate for this round's agenda."),
         variants={
             "unendorsed": gettext_noop("%(seat)s called a recess to circle back: %(missing)s had not endorsed the mandate."),
             "second": gettext_noop("%(seat)s called a recess to circle back: it is the team's second recess this round."),
         },
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.contradiction", dimension="backpedal", points=-8, mark="??", title=gettext_noop("Teammates contradict each other"),
         when=gettext_noop("A seat proposes a package that differs from the team's standing offer, made by a teammate earlier "
              "in the same table phase, while the other team has made no new offer since."),
         reason=gettext_noop("%(seat)s's package contradicts teammate %(teammate)s's on %(issues)s with nothing new from %(other)s."),
         citation=_cite(Q_BACKPEDAL)),
    Rule(id="backpedal.objector_offer", dimension="backpedal", points=-8, mark="??", title=gettext_noop("Objector freelancing"),
         when=gettext_noop("A seat with an unresolved objection to the mandate proposes a package beyond its walk-away."),
         reason=gettext_noop("%(seat)s, who objected to the mandate, proposed %(issues)s beyond its walk-away: two voices at the table."),
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
