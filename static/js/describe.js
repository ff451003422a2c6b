// One line of plain English per event (mirrors game/web/describe.py).
export const PHASE_TITLES = { briefing: "Briefing", caucus: "Caucus", table: "Table", review: "Round review" };

export function makeDescriber(scenario) {
  const roles = Object.fromEntries((scenario.roles || []).map((r) => [r.id, r]));
  const teams = Object.fromEntries((scenario.teams || []).map((t) => [t.id, t]));
  const issues = Object.fromEntries((scenario.issues || []).map((i) => [i.id, i]));
  const cards = Object.fromEntries((scenario.deliverables || []).map((d) => [d.id, d]));
  const injects = Object.fromEntries((scenario.injects || []).map((i) => [i.id, i]));

  const who = (seat) =>
    seat === "facilitator" ? "The facilitator" : seat === "system" ? "The clock" : roles[seat]?.title || seat || "Someone";
  const card = (id) => cards[id]?.title || (id ? "an execution card" : "");
  const issue = (id) => issues[id]?.title || id || "";
  const optionLabel = (issueId, optionId) => issues[issueId]?.options.find((o) => o.id === optionId)?.label || optionId;

  function describe(e) {
    const d = e.data || {};
    const w = who(e.actor);
    switch (e.type) {
      case "match_started": return "The game started.";
      case "phase_started": return `Round ${d.round}: ${PHASE_TITLES[d.phase] || d.phase} began.`;
      case "paused": return "The facilitator paused the game.";
      case "resumed": return "The game resumed.";
      case "extended": {
        const bits = [];
        if (d.seconds) bits.push(`${Math.round(d.seconds / 60)} min`);
        if (d.exchanges) bits.push(`${d.exchanges} exchanges`);
        return `The phase was extended${bits.length ? ` by ${bits.join(" and ")}` : ""}.`;
      }
      case "inject_pushed": return `News: ${injects[d.inject]?.title || "an event"}`;
      case "game_ended": return d.reason || "The game ended.";
      case "priorities_stated": return `${w} stated their priorities.`;
      case "mandate_drafted": return `${w} drafted mandate v${d.version}.`;
      case "mandate_endorsed": return `${w} endorsed mandate v${d.version}.`;
      case "mandate_objected": return `${w} objected to mandate v${d.version}: ${d.reason || ""}`;
      case "deliverable_signed": return `${w} signed off ${card(d.deliverable)}.${d.status === "prepared" ? " It is prepared." : ""}`;
      case "speaker_chosen": return `${w} chose the ${d.level} level to speak for the team.`;
      case "chat_posted": return `${w}: ${d.text || ""}`;
      case "offer_proposed": return `${w} proposed a package (${d.offer}).`;
      case "offer_accepted": return `${w} accepted ${d.offer}.`;
      case "offer_rejected": return `${w} rejected ${d.offer}: ${d.reason || ""}`;
      case "offer_withdrawn": return `${w} withdrew ${d.offer}.`;
      case "statement_made": return `${w}: \u201c${d.text || ""}\u201d`;
      case "recess_called": return `${w} called a recess: ${d.reason || ""}`;
      case "deliverable_committed": return `${w} committed ${card(d.deliverable)} at the table.`;
      case "capability_shown":
        return `${w} made visible ${d.deliverable ? card(d.deliverable) : "the team's alignment"}: \u201c${d.text || ""}\u201d`;
      case "probe_made": return `${w} probed ${issue(d.issue)}: \u201c${d.question || ""}\u201d`;
      case "probe_answered": return `${teams[e.team]?.name || "They"} answered: ${d.answer || ""}`;
      case "escalated": return `${w} escalated to leader level (${d.escalations_left} left).`;
      case "deal_reached": return "Deal reached.";
      case "floor_delegated": return d.on ? `${w} let the team's bots play this round.` : `${w} took the floor back from the team's bots.`;
      case "move_suggested": return `${w} advised: ${d.text || ""}`;
      default: return e.type.replaceAll("_", " ");
    }
  }

  return { describe, who, issue, card, optionLabel, roles, teams, issues, cards, injects };
}
