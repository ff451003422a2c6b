// One line per event, in the server's words and the reader's language: `words` is game/web/describe.py's
// phrasebook (the page's config carries it), filled here from the event and the page's copy of the
// case. This file holds no wording of its own; describe.py documents the phrase fields.
export function makeDescriber(scenario, words) {
  const byId = (items) => Object.fromEntries((items || []).map((x) => [x.id, x]));
  const roles = byId(scenario.roles);
  const teams = byId(scenario.teams);
  const issues = byId(scenario.issues);
  const cards = byId(scenario.deliverables);
  const injects = byId(scenario.injects);
  const titled = { deliverable: cards, issue: issues, inject: injects };

  const who = (seat) => words.seats[seat] || roles[seat]?.title || words.unknown.who;
  const card = (id) => cards[id]?.title || (id ? words.unknown.deliverable : "");
  const issue = (id) => issues[id]?.title || id || "";
  const optionLabel = (issueId, optionId) => issues[issueId]?.options.find((o) => o.id === optionId)?.label || optionId;
  const phaseTitle = (phase) => words.phases[phase] || phase;

  const holds = (data, condition) => {
    const [name, value] = condition.split("=");
    return value === undefined ? Boolean(data[name]) : data[name] === value;
  };
  const inUnits = (seconds, per) => {
    const tenths = Math.floor((seconds * 10 + Math.floor(per / 2)) / per);
    return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}.${tenths % 10}`;
  };

  function describe(e) {
    const d = e.data || {};
    const variants = words.phrases[e.type];
    if (!variants) return e.type.replaceAll("_", " ");
    const [, phrase] = variants.find(([when]) => when.every((c) => holds(d, c)));
    return phrase.replace(/\{(\w+)(?:\|(\w+))?\}/g, (_, name, unit) => {
      if (unit) return inUnits(Math.trunc(Number(d[name]) || 0), words.seconds_per[unit]);
      if (name === "who") return who(e.actor);
      if (name === "team") return teams[e.team]?.name || words.unknown.team;
      if (name === "level") return words.level_titles[d.level] || d.level || "";
      if (name === "phase") return phaseTitle(d.phase || "");
      if (name in titled) return titled[name][d[name]]?.title || words.unknown[name] || String(d[name] ?? "");
      return d[name] == null ? "" : String(d[name]);
    });
  }

  return { describe, who, issue, card, optionLabel, phaseTitle, roles, teams, issues, cards, injects };
}
