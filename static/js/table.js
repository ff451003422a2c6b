// The table page: one seat's live view of a match (or, in observer mode, the facilitator's view of
// one table). Everything it shows comes from the server's frames, already filtered for this seat.
import { h, fill, $, $$, actionButton, setAvailable, clock, timeOfDay } from "./dom.js";
import { LiveSocket } from "./socket.js";
import { makeDescriber } from "./describe.js";
import { makeEpilogue } from "./epilogue.js";

const config = JSON.parse($("#table-config").textContent);
const OBSERVER = config.mode === "observer";
const teamIds = config.teams.map((t) => t.id);
const teamInfo = Object.fromEntries(config.teams.map((t) => [t.id, t]));
const MY = config.team; // null for an observer
const OTHER = MY ? teamIds.find((t) => t !== MY) : null;
const LEVELS = config.words.levels;
const levelTitle = (level) => config.words.level_titles[level] || level; // translated on the server
const TEAM_MOVES = new Set(config.words.team_moves);
const MARK_CLASS = { "!!": "brilliant", "!": "good", "?!": "dubious", "?": "mistake", "??": "blunder" };

const S = {
  view: null,
  version: 0,
  events: [],
  seqs: new Set(),
  presence: [],
  annotations: [],
  annotationIds: new Set(),
  scores: null,
  scenario: config.scenario,
  serverOffset: 0,
  welcomed: false,
  lastAnnounced: 0,
  renderedRound: Number($("#statusbar").dataset.round),
  more: false, // the server holds older events this page has not loaded (frames carry one page at most)
  asking: false,
};
// The last event seq held survives a reload of the page (per tab): the reconnect asks only for what
// came after it, and the page then loads one page of the log before that.
const SEQ_KEY = `ng.last_seq.${config.match}`;
const storedSeq = () => Number(sessionStorage.getItem(SEQ_KEY)) || 0;
const keepSeq = () => {
  if (!OBSERVER && S.version) sessionStorage.setItem(SEQ_KEY, String(S.version));
};
let D = makeDescriber(S.scenario, config.words);

// --- helpers -------------------------------------------------------------------------------------
const teamName = (t) => teamInfo[t]?.name || t;
const teamTag = (t, extra = "") => h("span", { class: `team-tag ${teamInfo[t]?.cls || ""} ${extra}` }, teamName(t));
const moves = () => (S.view && S.view.moves) || {};
const sheet = () => (S.view && S.view.points_sheet) || null;
const reason = (kind) => {
  if (!S.welcomed) return gettext("connecting to the table…");
  if (OBSERVER) return gettext("observers cannot move");
  const m = moves();
  return kind in m ? m[kind] : gettext("not available");
};
const currentRound = () => S.scenario.rounds[S.view ? S.view.round : 0];
const ownCards = () => (S.scenario.deliverables || []).filter((d) => d.team === MY);
const teamState = (t) => (S.view && S.view.teams && S.view.teams[t]) || {};
const pointsOf = (pkg) => {
  const sh = sheet();
  if (!sh || !pkg) return null;
  return Object.entries(pkg).reduce((sum, [issue, opt]) => sum + (sh[issue]?.[opt] ?? 0), 0);
};
// A scenario citation is a seed quote (opens the seed with the passage highlighted) or a reference
// to a public report (opens the outlet's page; its fact is in the scenario's own words).
const isReference = (c) => c.kind === "reference";
const citationUrl = (c) => {
  if (isReference(c)) return c.url;
  const q = new URLSearchParams();
  if (c.quote) q.set("q", c.quote);
  if (c.where) q.set("where", c.where);
  return `/seeds/${c.seed}/?${q.toString()}#quote`;
};
const sourceLink = (c, label = gettext("source")) =>
  c
    ? h(
        "a",
        { href: citationUrl(c), target: "_blank", rel: isReference(c) ? "noopener noreferrer" : "noopener", class: "cite", title: isReference(c) ? c.fact : c.quote },
        isReference(c) ? `${label}: ${c.outlet}, ${c.date}` : label
      )
    : null;
const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const citationItem = (c, seeds) =>
  isReference(c)
    ? h(
        "li",
        { class: "cite-item cite-item--reference" },
        h("span", { class: "cite-item__kind" }, gettext("Report")),
        " ",
        h("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, c.outlet),
        " ",
        h("span", { class: "muted" }, `(${c.date})`),
        " ",
        h("span", { class: "sources__fact" }, c.fact)
      )
    : h(
        "li",
        { class: "cite-item cite-item--seed_quote" },
        h("span", { class: "cite-item__kind" }, gettext("Seed")),
        " ",
        h("a", { href: citationUrl(c), target: "_blank", rel: "noopener" }, seeds[c.seed]?.title || c.seed),
        " ",
        h("span", { class: "muted" }, `(${c.where || seeds[c.seed]?.outlet || ""})`),
        " ",
        h("q", { class: "sources__quote" }, clip(c.quote, 160))
      );
const now = () => Date.now() / 1000 + S.serverOffset;
const phaseTitle = (p) => D.phaseTitle(p);

function announce(text) {
  const region = $("#announcer");
  region.append(h("p", {}, text));
  while (region.childElementCount > 6) region.firstElementChild.remove();
}

let toastTimer;
function toast(message, kind = "bad") {
  const el = $("#toast");
  const text = message.charAt(0).toUpperCase() + message.slice(1); // the server's reasons are clauses
  fill(el, h("p", {}, text), h("button", { type: "button", class: "link-button", on: { click: () => (el.hidden = true) } }, gettext("Dismiss")));
  el.className = `toast toast--${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 9000);
}

// --- the connection ------------------------------------------------------------------------------
const socket = new LiveSocket({
  url: () => {
    if (OBSERVER) return config.ws_path;
    const q = new URLSearchParams(); // the seat is the HttpOnly seat cookie, never the URL
    const last = S.version || storedSeq();
    if (last) q.set("last_seq", String(last));
    return `${config.ws_path}?${q.toString()}`;
  },
  onFrame,
  onState: renderConnection,
  onOpen: () => {
    S.watching = false; // a new connection follows no table until asked again
    S.asking = false; // a page asked for on the old connection will not come
  },
});

function mergeEvents(events, replace) {
  if (replace) {
    S.events = [];
    S.seqs = new Set();
  }
  const fresh = [];
  for (const e of events || []) {
    if (S.seqs.has(e.seq)) continue;
    S.seqs.add(e.seq);
    S.events.push(e);
    fresh.push(e);
  }
  S.events.sort((a, b) => a.seq - b.seq);
  return fresh;
}

// A welcome or snapshot: its events join what the page holds unless it starts after what it holds
// (a page of a long log, or a reload that kept only the last seq), then they replace it.
function takeLog(f) {
  const replace = f.since === 0 || f.from_seq > f.since || S.events.length === 0;
  const fresh = mergeEvents(f.events, replace);
  if (replace) {
    S.more = f.from_seq > 0;
    if (S.more && S.events.length < 20) askOlder(); // too little to read: load the page before it
  }
  return { fresh, replace };
}

function askOlder() {
  if (S.asking || !S.more) return;
  const first = S.events.length ? S.events[0].seq : S.version + 1;
  const frame = { type: "older", before_seq: first, msg_id: socket.nextId("o") };
  if (OBSERVER) frame.table = config.match;
  S.asking = socket.send(frame);
}

function takePage(f) {
  S.asking = false;
  if (f.match !== config.match) return;
  mergeEvents(f.events, false);
  S.more = f.more;
}

function setAnnotations(list, replace) {
  if (replace) {
    S.annotations = [];
    S.annotationIds = new Set();
  }
  const fresh = [];
  for (const a of list || []) {
    const key = `${a.team}:${a.id}`;
    if (S.annotationIds.has(key)) continue;
    S.annotationIds.add(key);
    S.annotations.push(a);
    fresh.push(a);
  }
  return fresh;
}

let refreshTimer;
function onFrame(f) {
  if (OBSERVER) return onObserverFrame(f);
  switch (f.type) {
    case "welcome":
    case "snapshot": {
      if (f.scenario) {
        S.scenario = f.scenario;
        D = makeDescriber(S.scenario, config.words);
      }
      S.view = f.view;
      S.version = f.version;
      const { fresh, replace } = takeLog(f);
      keepSeq();
      if (f.presence) S.presence = f.presence;
      if (f.annotations) setAnnotations(f.annotations, true);
      if (S.welcomed && !replace) announceEvents(fresh);
      S.welcomed = true;
      break;
    }
    case "events": {
      if (f.prev_version > S.version) {
        socket.send({ type: "resync", last_seq: S.version, msg_id: socket.nextId("r") });
        return;
      }
      S.view = { ...S.view, ...f.view };
      const fresh = mergeEvents(f.events, false);
      S.version = Math.max(S.version, f.version);
      keepSeq();
      announceEvents(fresh);
      break;
    }
    case "page":
      takePage(f);
      break;
    case "presence":
      S.presence = f.seats;
      break;
    case "annotations": {
      const fresh = setAnnotations(f.annotations, false);
      if (f.scores) S.scores = f.scores;
      for (const a of fresh.slice(-2)) announce(interpolate(gettext("Score note %(mark)s (%(word)s): %(reason)s"), { mark: a.mark, word: config.marks[a.mark] || "", reason: a.reason }, true));
      break;
    }
    case "pong":
      if (f.server_time) S.serverOffset = f.server_time - Date.now() / 1000;
      return;
    case "error":
      if (!f.msg_id || !f.msg_id.startsWith("m")) toast(f.message);
      return;
    case "nudge":
      toast(interpolate(gettext("From your facilitator: %(text)s"), { text: f.text }, true), "info"); // (the toast is an alert: screen readers read it)
      clearTimeout(toastTimer); // a nudge stays until the trainee dismisses it
      return;
    default:
      return;
  }
  scheduleRender();
}

function onObserverFrame(f) {
  switch (f.type) {
    case "workshop": {
      const mine = (f.tables || []).find((t) => t.match === config.match);
      if (mine) {
        S.presence = mine.seats;
        S.scores = mine.scores;
      }
      if (f.scenario) {
        S.scenario = f.scenario;
        D = makeDescriber(S.scenario, config.words);
      }
      if (!S.watching) {
        S.watching = true;
        socket.send({ type: "watch", table: config.match, msg_id: socket.nextId("w") });
      }
      break;
    }
    case "snapshot":
      if (f.match !== config.match) return;
      S.view = f.view;
      S.version = f.version;
      takeLog(f);
      if (f.annotations) setAnnotations(f.annotations, true);
      S.welcomed = true;
      break;
    case "events":
      if (f.match !== config.match) return;
      S.view = { ...S.view, ...f.view };
      announceEvents(mergeEvents(f.events, false));
      S.version = Math.max(S.version, f.version);
      break;
    case "page":
      takePage(f);
      break;
    case "table_summary":
      if (f.table.match !== config.match) return;
      S.presence = f.table.seats;
      S.scores = f.table.scores;
      clearTimeout(refreshTimer); // refresh the annotations a moment after the table settles
      refreshTimer = setTimeout(() => socket.send({ type: "hello", msg_id: socket.nextId("h") }), 2500);
      break;
    case "error":
      toast(f.message);
      return;
    default:
      return;
  }
  scheduleRender();
}

function announceEvents(fresh) {
  const worth = fresh.filter((e) => !["probe_answered", "deal_reached", "priorities_stated"].includes(e.type));
  for (const e of worth.slice(-3)) {
    const side = e.team ? `${teamName(e.team)}: ` : "";
    announce(e.type === "phase_started" ? D.describe(e) : side + D.describe(e));
  }
}

async function send(move, button) {
  if (button) button.setAttribute("aria-busy", "true");
  try {
    // Only moves that answer the other side's offer say which version they saw: a teammate's (or a
    // bot's) caucus move landing first must not refuse a draft or a chat message as stale.
    const frame = { type: "move", move };
    if (["accept", "reject", "withdraw"].includes(move.kind)) frame.expected_version = S.version;
    await socket.request(frame);
    return true;
  } catch (err) {
    const msg =
      err.code === "move/stale_version"
        ? gettext("The table moved on before your move arrived. Check what changed, then try again.")
        : err.message || gettext("That move was refused.");
    toast(msg);
    return false;
  } finally {
    if (button) button.removeAttribute("aria-busy");
  }
}

async function control(move, table = config.match) {
  try {
    await socket.request({ type: "control", table, move });
  } catch (err) {
    toast(err.message || gettext("Refused."));
  }
}

// --- rendering -------------------------------------------------------------------------------------
let pending = false;
function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
}

let epilogue = null;
function render() {
  if (!S.view) return;
  // The epilogue's panel is a seat's (the observer's page has none: the facilitator answers nothing).
  if ($("#epilogue-panel")) {
    epilogue ??= makeEpilogue({
      root: $("#epilogue-panel"), heading: $("#epilogue-h"), list: $("#epilogue-list"), brief: $("#epilogue-brief"), scenario: S.scenario, my: MY,
      teamName, send, reason, sheet, toast,
    });
    epilogue.render(S.view);
  }
  renderStatus();
  renderBanner();
  renderRound();
  renderInjects();
  renderPeople();
  renderFloor();
  renderOffers();
  if (!OBSERVER) {
    renderOfferActions();
    renderBuilder();
    renderMoves();
  }
  renderTimeline();
  renderCaucus();
  renderScore();
  if (OBSERVER) renderObserverControls();
}

function renderConnection(state, detail) {
  const el = $("#sb-conn");
  const text = {
    connecting: gettext("Connecting…"),
    live: gettext("Live"),
    reconnecting: detail ? interpolate(gettext("Reconnecting (%(seconds)s s)"), { seconds: detail }, true) : gettext("Reconnecting…"),
    closed: detail === 4409 ? gettext("Seat moved") : gettext("Disconnected"),
  }[state];
  el.textContent = text;
  el.className = `conn conn--${state}`;
  document.body.dataset.conn = state;
  if (state === "closed") {
    const msg =
      detail === 4409
        ? gettext("The facilitator changed your seat. Open the workshop's join page again to see where you sit now.")
        : gettext("This browser no longer holds this seat. Join again with the workshop code.");
    toast(msg);
  }
}

function renderStatus() {
  const v = S.view;
  const bar = $("#statusbar");
  bar.dataset.status = v.status;
  bar.dataset.phase = v.phase;
  bar.dataset.round = v.round;
  bar.dataset.version = S.version;
  bar.dataset.floor = v.floor || "";
  document.body.dataset.phase = v.phase;
  document.body.dataset.status = v.status;
  const rnd = currentRound();
  $("#sb-round").textContent = v.phase === "epilogue" ? `${gettext("After the deal")} · ${S.scenario.epilogue?.title || gettext("Epilogue")}` : `${interpolate(gettext("Round %(index)s of %(last)s"), { index: v.round, last: S.scenario.rounds.length - 1 }, true)} · ${rnd.title}`;
  const phases = rnd.phases;
  const at = phases.indexOf(v.phase);
  for (const li of $$("#sb-phases li")) {
    const p = li.dataset.phase;
    const i = phases.indexOf(p);
    const live = v.status !== "finished" && v.status !== "lobby";
    li.className = i < 0 ? "skipped" : v.status === "lobby" ? "next" : i < at || v.status === "finished" ? "done" : i === at ? "current" : "next";
    li.removeAttribute("aria-current");
    if (i === at && live) li.setAttribute("aria-current", "step");
    li.title = i < 0 ? interpolate(gettext("No %(phase)s in this round"), { phase: phaseTitle(p).toLowerCase() }, true) : phaseTitle(p);
  }
  const ex = $("#sb-exchanges");
  if (v.phase === "epilogue") {
    ex.textContent = gettext("No table: answer the epilogue");
    ex.classList.remove("meter--low");
  } else if (phases.includes("table")) {
    const left = Math.max(0, v.exchange_limit - v.exchanges_used);
    ex.textContent = interpolate(gettext("%(left)s of %(limit)s exchanges left"), { left, limit: v.exchange_limit }, true);
    ex.classList.toggle("meter--low", left <= 2 && v.phase === "table");
  } else {
    ex.textContent = gettext("No table this round");
    ex.classList.remove("meter--low");
  }
  renderTimer();
  const adv = $("#advance");
  if (adv) {
    const why = $("#advance-why");
    const r = reason("advance");
    setAvailable({ button: adv, why }, r);
    const next = nextStepLabel();
    adv.dataset.next = next;
    adv.setAttribute("aria-label", next ? interpolate(gettext("Advance to next phase: %(next)s"), { next }, true) : gettext("Advance to next phase"));
  }
  document.title = `${phaseTitle(v.phase)} · ${interpolate(gettext("Round %(index)s"), { index: v.round }, true)} · ${config.label}`;
}

function nextStepLabel() {
  const v = S.view;
  const phases = currentRound().phases;
  const i = phases.indexOf(v.phase);
  if (v.phase === "epilogue") return gettext("end of the game");
  if (i + 1 < phases.length) return phaseTitle(phases[i + 1]);
  if (v.round + 1 < S.scenario.rounds.length) return interpolate(gettext("Round %(index)s %(phase)s"), { index: v.round + 1, phase: phaseTitle(S.scenario.rounds[v.round + 1].phases[0]).toLowerCase() }, true);
  return gettext("end of the game");
}

function renderTimer() {
  const v = S.view;
  const el = $("#sb-timer");
  if (!v) return;
  if (v.status === "paused") {
    el.textContent = v.paused_remaining != null ? interpolate(gettext("Paused · %(time)s left"), { time: clock(v.paused_remaining) }, true) : gettext("Paused");
    el.className = "meter meter--paused";
  } else if (v.deadline) {
    const left = v.deadline - now();
    el.textContent = interpolate(gettext("%(time)s left"), { time: clock(left) }, true);
    el.className = `meter ${left < 60 ? "meter--low" : ""}`;
  } else {
    el.textContent = v.status === "running" ? gettext("No timer") : "";
    el.className = "meter meter--quiet";
  }
}
setInterval(() => {
  renderTimer();
  renderReminder();
}, 1000);

// A trainee who holds the floor and lets it sit is reminded that the table waits for them: their bot
// teammates never move for them unless they delegate the round.
const IDLE_REMINDER_SECONDS = 60;
function floorSince() {
  for (let i = S.events.length - 1; i >= 0; i--) {
    const e = S.events[i];
    if (FLOOR_EVENT_TYPES.has(e.type) || e.type === "phase_started") return e.at;
  }
  return null;
}

function renderReminder() {
  const el = $("#floor-reminder");
  const v = S.view;
  if (!el || OBSERVER || !v) return;
  const mine = v.status === "running" && v.phase === "table" && v.floor === MY && teamState(MY).delegated_round !== v.round;
  const since = mine ? floorSince() : null;
  const due = mine && ((v.deadline && v.deadline - now() < IDLE_REMINDER_SECONDS) || (since !== null && now() - since >= IDLE_REMINDER_SECONDS));
  if (due === !el.hidden) return;
  el.hidden = !due;
  if (!due) return;
  const text = gettext("The table is waiting for you: your team holds the floor and nobody moves for you.");
  fill(
    el,
    h("p", { class: "reminder__main" }, text),
    h("p", { class: "small" }, gettext("Adopt your team's suggestion or make your own move, or let your team play this round ("), h("a", { href: "#col-caucus" }, gettext("Caucus")), ").")
  );
  announce(text);
}

function renderBanner() {
  const v = S.view;
  const el = $("#banner");
  const mine = !OBSERVER && S.presence.find((p) => p.role_id === config.seat);
  if (mine && mine.bot_cover && v.status !== "finished") {
    el.hidden = false;
    el.className = "banner banner--paused";
    fill(
      el,
      h("p", { class: "banner__title" }, gettext("A bot is playing your seat for now.")),
      h("p", {}, gettext("The facilitator handed it to a bot; it is yours again when they take it back. You can still read everything and chat with your team."))
    );
  } else if (v.status === "lobby") {
    el.hidden = false;
    el.className = "banner banner--wait";
    const here = S.presence.filter((p) => p.kind === "human");
    fill(
      el,
      h("p", { class: "banner__title" }, gettext("Waiting for the facilitator to start the game.")),
      h("p", {}, gettext("Read your confidential brief on the left while everyone arrives. This page updates by itself.")),
      h(
        "p",
        { class: "small" },
        here.length ? interpolate(gettext("Here already: %(people)s."), { people: here.map((p) => `${p.display_name} (${teamName(p.team)})`).join(", ") }, true) : gettext("Nobody else has arrived yet.")
      )
    );
  } else if (v.status === "paused") {
    el.hidden = false;
    el.className = "banner banner--paused";
    fill(el, h("p", { class: "banner__title" }, gettext("Paused by the facilitator.")), h("p", {}, gettext("Team chat stays open; everything else waits.")));
  } else if (v.status === "finished") {
    el.hidden = false;
    el.className = "banner banner--done";
    const deal = v.result && v.result.kind === "deal";
    const mine = deal && sheet() ? pointsOf(v.result.package) : null;
    fill(
      el,
      h("p", { class: "banner__title" }, deal ? gettext("Deal reached — the game is over.") : gettext("No deal — the game is over.")),
      h("p", {}, v.result ? v.result.reason : "", mine != null ? " " + interpolate(gettext("The package is worth %(points)s points to %(team)s (BATNA %(batna)s)."), { points: mine, team: teamName(MY), batna: S.view.batna }, true) : ""),
      h("a", { class: "button button--go button--large", href: config.debrief_url, id: "open-debrief" }, gettext("Open the debrief →"))
    );
  } else {
    el.hidden = true;
  }
}

function renderRound() {
  const v = S.view;
  if (S.renderedRound === v.round) return;
  S.renderedRound = v.round;
  const rnd = currentRound();
  $("#round-eyebrow").textContent = `${interpolate(gettext("Round %(index)s"), { index: rnd.index }, true)} · ${rnd.date}`;
  $("#round-title").textContent = rnd.title;
  fill($(".round-card__place"), h("span", { class: "muted" }, gettext("Where: ")), rnd.place);
  $("#round-text").textContent = rnd.briefing;
  fill(
    $("#round-agenda"),
    rnd.agenda.length ? h("p", { class: "small" }, h("strong", {}, gettext("On the agenda: ")), rnd.agenda.map((i) => D.issue(i)).join(", ")) : null
  );
  const seeds = Object.fromEntries((S.scenario.seeds || []).map((s) => [s.id, s]));
  fill(
    $("#round-sources"),
    h("h3", { class: "sources__h" }, gettext("Sources")),
    h(
      "ul",
      {},
      rnd.citations.map((c) => citationItem(c, seeds))
    )
  );
  $("#round-card").classList.add("flash");
  setTimeout(() => $("#round-card").classList.remove("flash"), 1500);
}

function renderInjects() {
  const pushed = S.events.filter((e) => e.type === "inject_pushed");
  const el = $("#injects");
  fill(
    el,
    pushed
      .slice()
      .reverse()
      .map((e) => {
        const inj = D.injects[e.data.inject];
        if (!inj) return null;
        const current = e.round === S.view.round;
        return h(
          "article",
          { class: `panel inject ${current ? "inject--now" : "inject--old"}` },
          h("p", { class: "eyebrow" }, e.phase === "epilogue" ? gettext("News · epilogue") : interpolate(gettext("News · round %(round)s"), { round: e.round }, true), " · ", inj.target !== "both" ? interpolate(gettext("aimed at %(team)s"), { team: teamName(inj.target) }, true) : gettext("both teams")),
          h("h3", {}, inj.title),
          current ? h("p", {}, inj.text) : null,
          h("p", { class: "small" }, sourceLink(inj.citation, gettext("Source")))
        );
      })
  );
}

function renderPeople() {
  const el = $("#people");
  const byTeam = teamIds.map((t) => {
    const seats = S.presence.filter((p) => p.team === t);
    return h(
      "div",
      { class: "people__team" },
      h("p", {}, teamTag(t)),
      h(
        "ul",
        { class: "people" },
        seats.map((p) => {
          const title = D.roles[p.role_id]?.title || p.role_id;
          const who = p.kind === "human" ? p.display_name || gettext("Trainee") : p.kind === "bot" ? gettext("Bot") : gettext("Empty seat");
          const state = p.kind === "bot" ? "bot" : p.kind === "empty" ? "empty" : p.connected ? "online" : "offline";
          const covered = p.kind === "human" && p.bot_cover;
          const you = !OBSERVER && p.role_id === config.seat;
          return h(
            "li",
            { class: `person person--${state}` },
            h("span", { class: "person__dot", "aria-hidden": "true" }),
            h("span", { class: "person__name" }, who, you ? ` (${gettext("you")})` : ""),
            h("span", { class: "person__role small muted" }, title),
            h("span", { class: "person__state small" }, state === "online" ? "online" : state === "offline" ? "offline" : ""),
            covered ? h("span", { class: "person__extra chip small" }, you ? gettext("a bot is playing for you") : gettext("a bot is playing for now")) : null
          );
        })
      )
    );
  });
  fill(el, byTeam);
}

function lastPublicMove() {
  for (let i = S.events.length - 1; i >= 0; i--) {
    const e = S.events[i];
    if (e.visibility === "public" && e.team && e.round === S.view.round && TEAM_MOVES.has(e.type)) return e;
  }
  return null;
}

function caucusChecklist() {
  const ts = teamState(MY);
  const m = ts.mandate;
  const mine = S.scenario.roles.filter((r) => r.team === MY);
  const endorsed = m && mine.every((r) => ts.stances?.[r.id]?.version === m.version && ts.stances[r.id].endorse);
  const covers = m && currentRound().agenda.every((i) => m.issues[i]);
  const myCards = ownCards().filter((c) => c.prepared_by.includes(config.seat));
  const signedAll = myCards.every((c) => (ts.deliverables?.[c.id]?.signed_by || []).includes(config.seat));
  const hasTable = currentRound().phases.includes("table");
  return [
    [Boolean(m && covers), gettext("Draft a mandate: a target and a walk-away on every agenda issue.")],
    [Boolean(endorsed), gettext("Get every role to endorse it (answer objections by redrafting).")],
    [signedAll, myCards.length ? gettext("Prepare the execution cards you own.") : gettext("Execution cards: you own none; your teammates prepare theirs.")],
    hasTable ? [Boolean(ts.speaker_level), gettext("Choose which level speaks at the table.")] : null,
  ].filter(Boolean);
}

function guide(items) {
  return h(
    "ul",
    { class: "guide" },
    items.map((it) => (Array.isArray(it) ? h("li", { class: it[0] ? "done" : "todo" }, h("span", { class: "guide__mark" }, it[0] ? "✓" : "○"), h("span", {}, it[1], it[0] ? h("span", { class: "visually-hidden" }, " (done)") : "")) : h("li", { class: "info" }, h("span", { class: "guide__mark" }, "→"), h("span", {}, it))))
  );
}

function renderFloor() {
  const v = S.view;
  const el = $("#floor");
  let main;
  let list = null;
  let cls = "floor";
  const pace = config.practice ? gettext("Press “Advance to next phase” at the top when you are ready.") : gettext("The facilitator moves everyone on.");
  if (v.status === "finished") {
    main = gettext("The game is over.");
  } else if (v.status === "lobby") {
    main = gettext("The game has not started yet.");
    list = guide([gettext("Read the first round's briefing and your confidential brief (Brief)."), gettext("Look at your team's points sheet: what matters most to you, and what is cheap?")]);
  } else if (v.phase === "table") {
    if (OBSERVER) {
      main = v.floor ? interpolate(gettext("%(team)s has the floor."), { team: teamName(v.floor) }, true) : gettext("Nobody holds the floor.");
      cls += ` floor--${teamInfo[v.floor]?.cls || "none"}`;
    } else if (v.floor === MY) {
      const used = teamState(MY).supporting_moves || 0;
      const left = Math.max(0, S.scenario.supporting_moves_per_turn - used);
      main = gettext("Your team has the floor.");
      const supporting = left
        ? interpolate(ngettext("Up to %(count)s supporting move (commit, make visible, probe, escalate), then", "Up to %(count)s supporting moves (commit, make visible, probe, escalate), then", left), { count: left }, true)
        : gettext("No supporting moves left this turn:");
      list = guide([supporting, gettext("propose a package, accept or reject their offer, make a statement or call a recess: that passes the floor.")]);
      cls += " floor--mine";
    } else {
      main = interpolate(gettext("%(team)s has the floor. Wait for their move."), { team: teamName(v.floor) }, true);
      cls += " floor--theirs";
    }
  } else if (v.phase === "briefing") {
    main = gettext("Briefing: read before you act.");
    list = guide([gettext("Read the round and its sources (Brief)."), gettext("Read your confidential brief and your team's points sheet."), pace]);
  } else if (v.phase === "caucus") {
    main = gettext("Caucus: align your team in private.");
    list = OBSERVER ? null : guide([...caucusChecklist(), pace]);
    cls += " floor--caucus";
  } else if (v.phase === "review") {
    main = gettext("Round review.");
    list = guide([gettext("Read your score notes (Score): each says what moved your score, and why."), gettext("Agree in team chat what to change next round."), pace]);
  }
  const last = lastPublicMove();
  fill(
    el,
    h("p", { class: "floor__main" }, main),
    list,
    last ? h("p", { class: "floor__last small" }, gettext("Latest at the table: "), teamTag(last.team), " ", D.describe(last)) : null
  );
  el.className = cls;
  const atTable = v.phase === "table" && v.status === "running";
  if (!OBSERVER) {
    $("#offer-actions").hidden = !atTable;
    $("#moves-panel").hidden = !atTable;
  }
}

function offerOf(t) {
  const id = teamState(t).standing_offer;
  return id && S.view.offers ? S.view.offers[id] : null;
}

function renderOffers() {
  const order = MY ? [OTHER, MY] : teamIds;
  const offers = order.map(offerOf);
  const sh = sheet();
  const agreed = S.view.agreed || {};
  const agenda = new Set(currentRound().agenda);
  const head = order.map((t, i) => {
    const offer = offers[i];
    const total = offer ? pointsOf(offer.package) : null;
    const label = t === MY ? gettext("Our offer") : OBSERVER ? gettext("Offer") : gettext("Their offer");
    return h(
      "th",
      { scope: "col", class: `offer ${teamInfo[t].cls} ${offer ? "" : "offer--empty"}`, dataset: offer ? { team: t, offer: offer.id } : { team: t } },
      h("span", { class: "offer__head" }, teamTag(t, "team-tag--solid"), h("span", { class: "offer__title" }, label)),
      offer
        ? h("span", { class: "offer__by small" }, `${offer.id} · ${interpolate(gettext("by %(who)s"), { who: !OBSERVER && offer.by === config.seat ? gettext("you") : D.who(offer.by) }, true)} · ${interpolate(gettext("round %(round)s"), { round: offer.round }, true)}`)
        : h("span", { class: "offer__by small" }, gettext("No offer on the table.")),
      total != null
        ? h(
            "span",
            { class: `offer__total ${total < S.view.batna ? "below" : "above"}` },
            h("strong", {}, interpolate(gettext("%(points)s pts"), { points: total }, true)),
            " ",
            interpolate(gettext("for %(team)s"), { team: teamName(MY) }, true),
            total < S.view.batna ? h("span", { class: "chip chip--bad" }, interpolate(gettext("✗ below BATNA %(batna)s"), { batna: S.view.batna }, true)) : h("span", { class: "chip chip--good" }, interpolate(gettext("✓ above BATNA %(batna)s"), { batna: S.view.batna }, true))
          )
        : null
    );
  });
  const rows = S.scenario.issues.map((issue) =>
    h(
      "tr",
      { class: offers.every((o) => o) && agreed[issue.id] ? "agreed" : "" },
      h(
        "th",
        { scope: "row" },
        issue.title,
        agenda.has(issue.id) ? h("span", { class: "agenda-dot", title: gettext("On this round's agenda") }, " •") : null,
        offers.every((o) => o) && agreed[issue.id] ? h("span", { class: "chip chip--good" }, gettext("✓ agreed")) : null
      ),
      offers.map((offer) => {
        if (!offer) return h("td", { class: "muted" }, "—");
        const opt = offer.package[issue.id];
        const pts = sh ? sh[issue.id]?.[opt] : null;
        return h("td", {}, h("span", { class: "offer__opt" }, D.optionLabel(issue.id, opt)), pts != null ? h("span", { class: "pts" }, String(pts)) : null);
      })
    )
  );
  fill(
    $("#offers"),
    h(
      "table",
      { class: "offers-table" },
      h("caption", { class: "visually-hidden" }, sh ? interpolate(gettext("The offers on the table, issue by issue, with their points for %(team)s"), { team: teamName(MY) }, true) : gettext("The offers on the table, issue by issue")),
      h("thead", {}, h("tr", {}, h("td", { class: "offers-table__corner small muted" }, sh ? interpolate(gettext("Points for %(team)s on the right of each cell. • = on this round's agenda."), { team: teamName(MY) }, true) : gettext("• = on this round's agenda.")), head)),
      h("tbody", {}, rows)
    )
  );
}

// --- offer actions: accept / reject / withdraw ---------------------------------------------------------
let offerUI = null;
function buildOfferActions() {
  const root = $("#offer-actions");
  const accept = actionButton(gettext("Accept their offer"), { cls: "button button--go", kind: "accept", onClick: () => confirmAccept() });
  const rejectReason = h("input", { id: "reject-reason", maxlength: 500, placeholder: gettext("Why? (at least 3 characters)"), "aria-label": gettext("Reason for rejecting their offer") });
  const reject = actionButton(gettext("Reject"), {
    cls: "button",
    kind: "reject",
    onClick: async () => {
      const offer = teamState(OTHER).standing_offer;
      const text = rejectReason.value.trim();
      if (text.length < 3) {
        toast(gettext("Give a reason for rejecting (at least 3 characters): the other side hears it."));
        rejectReason.focus();
        return;
      }
      if (await send({ kind: "reject", offer, reason: text }, reject.button)) rejectReason.value = "";
    },
  });
  const withdraw = actionButton(gettext("Withdraw our offer"), {
    cls: "button button--quiet",
    kind: "withdraw",
    onClick: () => send({ kind: "withdraw", offer: teamState(MY).standing_offer }, withdraw.button),
  });
  const confirm = h("div", { class: "confirm", hidden: true, role: "group", "aria-label": gettext("Confirm accepting the offer") });
  fill(root, h("div", { class: "offer-actions__row" }, accept.wrap, h("span", { class: "inline-field" }, rejectReason, reject.wrap), withdraw.wrap), confirm);
  offerUI = { accept, reject, withdraw, rejectReason, confirm };
}

function confirmAccept() {
  const { confirm } = offerUI;
  const offerId = teamState(OTHER).standing_offer;
  const offer = S.view.offers[offerId];
  const pts = pointsOf(offer.package);
  const yes = h("button", { type: "button", class: "button button--go", id: "confirm-accept" }, gettext("Yes, accept the deal"));
  const no = h("button", { type: "button", class: "button button--quiet" }, gettext("Cancel"));
  fill(
    confirm,
    h("p", {}, h("strong", {}, interpolate(gettext("Accept %(team)s's offer %(offer)s?"), { team: teamName(OTHER), offer: offerId }, true)), " ", interpolate(gettext("It ends the game with a deal worth %(points)s points to %(team)s (your BATNA is %(batna)s)."), { points: pts, team: teamName(MY), batna: S.view.batna }, true)),
    yes,
    " ",
    no
  );
  confirm.hidden = false;
  yes.focus();
  yes.addEventListener("click", async () => {
    confirm.hidden = true;
    await send({ kind: "accept", offer: offerId }, offerUI.accept.button);
  });
  no.addEventListener("click", () => {
    confirm.hidden = true;
    offerUI.accept.button.focus();
  });
}

function renderOfferActions() {
  if (!offerUI) buildOfferActions();
  setAvailable(offerUI.accept, reason("accept"));
  setAvailable(offerUI.reject, reason("reject"));
  setAvailable(offerUI.withdraw, reason("withdraw"));
  if (reason("accept")) offerUI.confirm.hidden = true;
}

// --- package builder ------------------------------------------------------------------------------------
let builderUI = null;
function defaultPackage() {
  const mandate = teamState(MY).mandate;
  const sh = sheet();
  const pkg = {};
  for (const issue of S.scenario.issues) {
    if (mandate && mandate.issues[issue.id]) pkg[issue.id] = mandate.issues[issue.id].target;
    else if (sh) pkg[issue.id] = Object.entries(sh[issue.id]).sort((a, b) => b[1] - a[1])[0][0];
    else pkg[issue.id] = issue.options[0].id;
  }
  return pkg;
}

function buildBuilder() {
  const root = $("#builder");
  const selects = {};
  const pointCells = {};
  const rows = S.scenario.issues.map((issue) => {
    const id = `pkg-${issue.id}`;
    const sel = h(
      "select",
      { id, name: issue.id, on: { change: () => updateBuilder() } },
      issue.options.map((o) => h("option", { value: o.id }, (sheet() ? `${interpolate(gettext("%(points)s pts"), { points: sheet()[issue.id][o.id] }, true)} · ` : "") + o.label))
    );
    selects[issue.id] = sel;
    pointCells[issue.id] = h("td", { class: "num" });
    return h("tr", { dataset: { issue: issue.id } }, h("th", { scope: "row" }, h("label", { for: id }, issue.title)), h("td", {}, sel), pointCells[issue.id]);
  });
  const fillFrom = (label, getter, title) => {
    const c = actionButton(label, {
      cls: "button button--small button--quiet",
      onClick: () => {
        const pkg = getter();
        if (!pkg) return;
        for (const [k, v] of Object.entries(pkg)) if (selects[k]) selects[k].value = v;
        updateBuilder();
      },
    });
    c.button.title = title;
    return c;
  };
  const fromTheirs = fillFrom(gettext("Their offer"), () => S.view.offers?.[teamState(OTHER).standing_offer]?.package, gettext("Start from the other team's offer"));
  const fromOurs = fillFrom(gettext("Our offer"), () => S.view.offers?.[teamState(MY).standing_offer]?.package, gettext("Start from our standing offer"));
  const fromMandate = fillFrom(gettext("Mandate targets"), () => defaultPackage(), gettext("Start from our mandate's targets"));
  const total = h("p", { class: "builder__total", "aria-live": "polite" });
  const warn = h("ul", { class: "builder__warn" });
  const propose = actionButton(gettext("Propose this package"), {
    cls: "button button--go button--large",
    kind: "propose",
    onClick: () => {
      const pkg = Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value]));
      send({ kind: "propose", package: pkg }, propose.button);
    },
  });
  fill(
    root,
    h("div", { class: "builder__fill" }, h("span", { class: "small muted" }, gettext("Start from: ")), fromTheirs.wrap, fromOurs.wrap, fromMandate.wrap),
    h(
      "table",
      { class: "builder__table" },
      h("caption", { class: "visually-hidden" }, gettext("Choose one option per issue")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, gettext("Issue")), h("th", { scope: "col" }, gettext("Option")), h("th", { scope: "col", class: "num" }, gettext("Pts")))),
      h("tbody", {}, rows)
    ),
    total,
    warn,
    h("div", { class: "builder__go" }, propose.wrap)
  );
  builderUI = { selects, pointCells, total, warn, propose, fromTheirs, fromOurs, fromMandate };
  const pkg = defaultPackage();
  for (const [k, v] of Object.entries(pkg)) selects[k].value = v;
}

function updateBuilder() {
  const { selects, pointCells, total, warn } = builderUI;
  const sh = sheet();
  const pkg = Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value]));
  const mandate = teamState(MY).mandate;
  const problems = [];
  for (const [issue, opt] of Object.entries(pkg)) {
    const pts = sh ? sh[issue][opt] : null;
    pointCells[issue].textContent = pts ?? "";
    const line = mandate?.issues?.[issue];
    const beyond = line && sh && pts < sh[issue][line.walkaway];
    selects[issue].closest("tr").classList.toggle("beyond", Boolean(beyond));
    if (beyond) problems.push(interpolate(gettext("%(issue)s: beyond your walk-away (%(walkaway)s)"), { issue: D.issue(issue), walkaway: D.optionLabel(issue, line.walkaway) }, true));
  }
  const sum = pointsOf(pkg);
  const theirs = S.view.offers?.[teamState(OTHER).standing_offer];
  fill(
    total,
    h("strong", {}, interpolate(gettext("%(points)s points"), { points: sum }, true)),
    ` ${interpolate(gettext("for %(team)s"), { team: teamName(MY) }, true)} · ${interpolate(gettext("BATNA %(batna)s"), { batna: S.view.batna }, true)} · `,
    sum >= S.view.batna ? h("span", { class: "chip chip--good" }, gettext("✓ better than no deal")) : h("span", { class: "chip chip--bad" }, gettext("✗ worse than no deal")),
    theirs ? h("span", { class: "small muted" }, ` · ${interpolate(gettext("their offer: %(points)s"), { points: pointsOf(theirs.package) }, true)}`) : null
  );
  fill(warn, problems.map((p) => h("li", {}, "⚠ ", p)));
}

function renderBuilder() {
  if (!sheet()) return;
  if (!builderUI) buildBuilder();
  setAvailable(builderUI.propose, reason("propose"));
  setAvailable(builderUI.fromTheirs, teamState(OTHER).standing_offer ? null : gettext("the other team has no offer on the table"));
  setAvailable(builderUI.fromOurs, teamState(MY).standing_offer ? null : gettext("your team has no offer on the table"));
  updateBuilder();
}

// --- supporting and floor moves ----------------------------------------------------------------------------
let movesUI = null;
function buildMoves() {
  const root = $("#moves");
  // Commit a prepared deliverable.
  const commitSel = h("select", { id: "commit-card", "aria-label": gettext("Execution card to commit") });
  const commit = actionButton(gettext("Commit"), { kind: "commit_deliverable", onClick: () => send({ kind: "commit_deliverable", deliverable: commitSel.value }, commit.button) });
  // Make visible: a prepared card or the team's alignment.
  const showSel = h("select", { id: "show-what", "aria-label": gettext("What to make visible") });
  const showText = h("input", { id: "show-text", maxlength: 1000, "aria-label": gettext("What you say when you make it visible"), placeholder: gettext("e.g. Our decree is signed and ready.") });
  const show = actionButton(gettext("Make visible"), {
    kind: "show_capability",
    onClick: async () => {
      const what = showSel.value;
      const text = showText.value.trim() || (what ? interpolate(gettext("%(card)s is prepared and ready to sign."), { card: D.card(what) }, true) : gettext("Our team is aligned behind one mandate."));
      if (await send({ kind: "show_capability", deliverable: what || null, text }, show.button)) showText.value = "";
    },
  });
  // Probe an issue.
  const probeSel = h("select", { id: "probe-issue", "aria-label": gettext("Issue to probe") }, S.scenario.issues.map((i) => h("option", { value: i.id }, i.title)));
  const probeText = h("input", { id: "probe-q", maxlength: 1000, "aria-label": gettext("Your question"), placeholder: gettext("How much room do you have here?") });
  const probe = actionButton(gettext("Probe"), {
    kind: "probe",
    onClick: async () => {
      const q = probeText.value.trim() || interpolate(gettext("How much room do you have on %(issue)s?"), { issue: D.issue(probeSel.value) }, true);
      if (await send({ kind: "probe", issue: probeSel.value, question: q }, probe.button)) probeText.value = "";
    },
  });
  const escalate = actionButton(gettext("Escalate to leader level"), { kind: "escalate", onClick: () => send({ kind: "escalate" }, escalate.button) });
  // Statement and recess pass the floor.
  const statementText = h("textarea", { id: "statement-text", rows: 2, maxlength: 1000, "aria-label": gettext("Diplomatic statement"), placeholder: gettext("A public statement to the other delegation") });
  const statement = actionButton(gettext("Make statement"), {
    kind: "statement",
    onClick: async () => {
      const text = statementText.value.trim();
      if (!text) {
        toast(gettext("Write the statement first."));
        statementText.focus();
        return;
      }
      if (await send({ kind: "statement", text }, statement.button)) statementText.value = "";
    },
  });
  const recessText = h("input", { id: "recess-reason", maxlength: 500, "aria-label": gettext("Reason for the recess"), placeholder: gettext("Why you need to circle back") });
  const recess = actionButton(gettext("Call a recess"), {
    kind: "recess",
    onClick: async () => {
      const text = recessText.value.trim() || gettext("We need to consult our capital.");
      if (await send({ kind: "recess", reason: text }, recess.button)) recessText.value = "";
    },
  });
  const group = (title, hint, ...children) => h("div", { class: "move-group" }, h("h4", {}, title), h("p", { class: "small muted" }, hint), ...children);
  fill(
    root,
    h(
      "div",
      { class: "moves-grid" },
      group(gettext("Commit an execution card"), gettext("Backs a concession: the card must be prepared in caucus."), h("div", { class: "inline-field" }, commitSel, commit.wrap)),
      group(gettext("Make strength visible"), gettext("Articulate a prepared card, or your team's alignment."), showSel, h("div", { class: "inline-field" }, showText, show.wrap)),
      group(gettext("Probe their constraints"), gettext("They answer truthfully, but only in part."), probeSel, h("div", { class: "inline-field" }, probeText, probe.wrap)),
      group(gettext("Escalate"), gettext("Bring your leader to the table this round (scarce)."), h("p", { class: "small", id: "escalations-left" }), escalate.wrap),
      group(gettext("Speak"), gettext("Passes the floor."), statementText, statement.wrap),
      group(gettext("Recess"), gettext("Both teams go back to caucus: “circle back”. Costs credibility if unplanned."), h("div", { class: "inline-field" }, recessText, recess.wrap))
    )
  );
  movesUI = { commitSel, commit, showSel, show, probe, escalate, statement, recess };
}

function renderMoves() {
  const panel = $("#moves-panel");
  const atTable = S.view.phase === "table" && S.view.status !== "finished";
  panel.classList.toggle("is-idle", !atTable);
  if (!movesUI) buildMoves();
  const ds = teamState(MY).deliverables || {};
  const cards = ownCards();
  const prepared = cards.filter((c) => ds[c.id]?.status === "prepared");
  const visible = cards.filter((c) => ["prepared", "committed"].includes(ds[c.id]?.status));
  const keep = (sel, options) => {
    const value = sel.value;
    fill(sel, options);
    if ([...sel.options].some((o) => o.value === value)) sel.value = value;
  };
  keep(movesUI.commitSel, prepared.length ? prepared.map((c) => h("option", { value: c.id }, c.title)) : [h("option", { value: "" }, gettext("No prepared card"))]);
  keep(movesUI.showSel, [h("option", { value: "" }, gettext("Our team's alignment (our mandate)")), ...visible.map((c) => h("option", { value: c.id }, c.title))]);
  setAvailable(movesUI.commit, reason("commit_deliverable") || (prepared.length ? null : gettext("no prepared card is waiting to be committed; prepare one in caucus")));
  setAvailable(movesUI.show, reason("show_capability"));
  setAvailable(movesUI.probe, reason("probe"));
  setAvailable(movesUI.escalate, reason("escalate"));
  setAvailable(movesUI.statement, reason("statement"));
  setAvailable(movesUI.recess, reason("recess"));
  $("#escalations-left").textContent = interpolate(gettext("%(count)s escalations left in the game."), { count: teamState(MY).escalations_left ?? "?" }, true);
}

// The figures behind a reason, folded away; it stays open across re-renders once the trainee opens it.
const openDetails = new Set();
function detailsToggle(key, cls, text) {
  return h(
    "details",
    { class: cls, open: openDetails.has(key), on: { toggle: (ev) => (ev.target.open ? openDetails.add(key) : openDetails.delete(key)) } },
    h("summary", {}, gettext("Details")),
    h("p", {}, text)
  );
}

// --- timeline ----------------------------------------------------------------------------------------
function renderTimeline() {
  const all = $("#timeline-all").checked;
  const round = S.view.round;
  const items = S.events.filter((e) => (all || e.round === round) && !["deal_reached", "priorities_stated", "match_started"].includes(e.type));
  $("#timeline-h").textContent = all ? gettext("What happened, all rounds") : interpolate(gettext("What happened in round %(round)s"), { round }, true);
  $("#timeline-older").hidden = !S.more;
  fill(
    $("#timeline"),
    items
      .slice()
      .reverse()
      .map((e) => {
        const priv = e.visibility !== "public";
        const note = e.data && e.data.note;
        const details = e.data && e.data.details;
        const kind = e.type === "phase_started" ? "phase" : e.type === "inject_pushed" ? "inject" : priv ? "private" : "public";
        return h(
          "li",
          { class: `tl tl--${kind} ${e.team && TEAM_MOVES.has(e.type) ? teamInfo[e.team]?.cls || "" : ""}`, dataset: { seq: e.seq, type: e.type } },
          h("span", { class: "tl__time small muted" }, timeOfDay(e.at)),
          h(
            "div",
            { class: "tl__body" },
            e.team && TEAM_MOVES.has(e.type) ? teamTag(e.team) : null,
            priv ? h("span", { class: "chip chip--private" }, gettext("caucus · private")) : null,
            " ",
            h("span", { class: "tl__text" }, D.describe(e)),
            e.type === "offer_proposed" ? packageLine(e.data.package) : null,
            note ? h("p", { class: "tl__why small" }, h("strong", {}, gettext("Why: ")), note) : null,
            details ? detailsToggle(`tl-${e.seq}`, "tl__details small", details) : null
          )
        );
      })
  );
}

function packageLine(pkg) {
  const pts = pointsOf(pkg);
  return h(
    "p",
    { class: "tl__pkg small" },
    S.scenario.issues.map((i) => `${i.title.split(" ").slice(0, 3).join(" ")}: ${D.optionLabel(i.id, pkg[i.id])}`).join(" · "),
    pts != null ? h("strong", {}, ` — ${interpolate(gettext("%(points)s pts for %(team)s"), { points: pts, team: teamName(MY) }, true)}`) : null
  );
}
$("#timeline-all").addEventListener("change", () => renderTimeline());
$("#timeline-older").addEventListener("click", () => {
  $("#timeline-all").checked = true; // earlier events are mostly earlier rounds: show them all
  askOlder();
});

// --- caucus ----------------------------------------------------------------------------------------------
let caucusUI = null;
function buildMandateEditor() {
  const sh = sheet();
  const lines = {};
  const rows = S.scenario.issues.map((issue) => {
    const mk = (which) =>
      h(
        "select",
        { id: `md-${which}-${issue.id}`, "aria-label": `${which === "target" ? "Target" : "Walk-away"} on ${issue.title}`, on: { change: () => (caucusUI.dirty = true) } },
        issue.options.map((o) => h("option", { value: o.id }, `${sh[issue.id][o.id]} · ${o.label}`))
      );
    lines[issue.id] = { target: mk("target"), walkaway: mk("walkaway") };
    return h(
      "tr",
      { dataset: { issue: issue.id } },
      h("th", { scope: "row" }, issue.title, h("span", { class: "agenda-dot" })),
      h("td", { dataset: { label: gettext("Target") } }, lines[issue.id].target),
      h("td", { dataset: { label: gettext("Walk-away") } }, lines[issue.id].walkaway)
    );
  });
  const save = actionButton(gettext("Save draft mandate"), {
    cls: "button button--go",
    kind: "draft_mandate",
    onClick: async () => {
      const issues = Object.fromEntries(Object.entries(lines).map(([k, l]) => [k, { target: l.target.value, walkaway: l.walkaway.value }]));
      if (await send({ kind: "draft_mandate", issues }, save.button)) caucusUI.dirty = false;
    },
  });
  const table = h(
    "table",
    { class: "mandate-editor" },
    h("caption", { class: "visually-hidden" }, gettext("Draft a mandate: a target and a walk-away per issue")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, gettext("Issue")), h("th", { scope: "col" }, gettext("Target")), h("th", { scope: "col" }, gettext("Walk-away")))),
    h("tbody", {}, rows)
  );
  return { lines, save, table };
}

function prefillMandate() {
  const sh = sheet();
  const mandate = teamState(MY).mandate;
  for (const issue of S.scenario.issues) {
    const l = caucusUI.editor.lines[issue.id];
    if (mandate && mandate.issues[issue.id]) {
      l.target.value = mandate.issues[issue.id].target;
      l.walkaway.value = mandate.issues[issue.id].walkaway;
    } else {
      const ranked = Object.entries(sh[issue.id]).sort((a, b) => b[1] - a[1]);
      const best = ranked[0][1];
      l.target.value = ranked[0][0];
      // A walk-away near half of the best option's value: a real line, not the floor.
      const half = ranked.slice(0, -1).reduce((acc, cur) => (Math.abs(cur[1] - best / 2) < Math.abs(acc[1] - best / 2) ? cur : acc), ranked[0]);
      l.walkaway.value = half[0];
    }
  }
}

function buildCaucus() {
  const editor = OBSERVER ? null : buildMandateEditor();
  const objectReason = OBSERVER ? null : h("input", { id: "object-reason", maxlength: 500, "aria-label": gettext("Why you object"), placeholder: gettext("Why you object (at least 3 characters)") });
  const endorse = OBSERVER
    ? null
    : actionButton(gettext("Endorse"), { cls: "button button--go", kind: "endorse_mandate", onClick: () => send({ kind: "endorse_mandate", version: teamState(MY).mandate.version }, endorse.button) });
  const object = OBSERVER
    ? null
    : actionButton(gettext("Object"), {
        kind: "object_mandate",
        onClick: async () => {
          const text = objectReason.value.trim();
          if (text.length < 3) {
            toast(gettext("Say why you object (at least 3 characters): your team needs to know what to fix."));
            objectReason.focus();
            return;
          }
          if (await send({ kind: "object_mandate", version: teamState(MY).mandate.version, reason: text }, object.button)) objectReason.value = "";
        },
      });
  const chatInput = OBSERVER ? null : h("input", { id: "chat-input", maxlength: 1000, "aria-label": gettext("Message to your team"), placeholder: gettext("Message to your team (private)") });
  const chatSend = OBSERVER
    ? null
    : actionButton(gettext("Send"), {
        kind: "team_chat",
        onClick: async () => {
          const text = chatInput.value.trim();
          if (!text) return;
          if (await send({ kind: "team_chat", text }, chatSend.button)) chatInput.value = "";
        },
      });
  if (chatInput) chatInput.addEventListener("keydown", (ev) => ev.key === "Enter" && (ev.preventDefault(), chatSend.button.click()));
  caucusUI = { editor, endorse, object, objectReason, chatInput, chatSend, dirty: false, seenMandate: null, speakers: {}, prepare: {} };
  if (editor) prefillMandate();
}

function stanceList(t) {
  const ts = teamState(t);
  const mandate = ts.mandate;
  return h(
    "ul",
    { class: "stances" },
    S.scenario.roles
      .filter((r) => r.team === t)
      .map((r) => {
        const st = ts.stances?.[r.id];
        const current = st && mandate && st.version === mandate.version;
        const seat = S.presence.find((p) => p.role_id === r.id);
        const who = seat ? (seat.kind === "human" ? seat.display_name : seat.kind === "bot" ? "bot" : "empty") : "";
        let mark;
        if (!mandate) mark = h("span", { class: "stance stance--none" }, "—");
        else if (current && st.endorse) mark = h("span", { class: "stance stance--yes" }, gettext("✓ Endorses"));
        else if (current) mark = h("span", { class: "stance stance--no" }, gettext("✗ Objects"));
        else mark = h("span", { class: "stance stance--wait" }, gettext("… not yet"));
        return h(
          "li",
          { dataset: { role: r.id } },
          mark,
          h("span", { class: "stances__who" }, r.title, who ? h("span", { class: "small muted" }, ` · ${who}${!OBSERVER && r.id === config.seat ? ` (${gettext("you")})` : ""}`) : null),
          current && !st.endorse && st.reason ? h("p", { class: "stances__reason small" }, `“${st.reason}”`) : null
        );
      })
  );
}

function mandateSummary(t) {
  const ts = teamState(t);
  const m = ts.mandate;
  if (!m) return h("p", { class: "muted" }, gettext("No mandate drafted yet."));
  const sh = t === MY ? sheet() : null;
  const agenda = new Set(currentRound().agenda);
  return h(
    "details",
    { class: "mandate-lines", open: OBSERVER ? true : null },
    h("summary", {}, interpolate(gettext("Mandate v%(version)s · drafted by %(who)s in round %(round)s"), { version: m.version, who: !OBSERVER && m.drafted_by === config.seat ? gettext("you") : D.who(m.drafted_by), round: m.round }, true)),
    h(
    "table",
    { class: "mandate" },
    h("caption", { class: "visually-hidden" }, interpolate(gettext("Mandate v%(version)s"), { version: m.version }, true)),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, gettext("Issue")), h("th", { scope: "col" }, gettext("Target")), h("th", { scope: "col" }, gettext("Walk-away")))),
    h(
      "tbody",
      {},
      Object.entries(m.issues).map(([issue, line]) =>
        h(
          "tr",
          { class: agenda.has(issue) ? "on-agenda" : "" },
          h("th", { scope: "row" }, D.issue(issue)),
          h("td", {}, D.optionLabel(issue, line.target), sh ? h("span", { class: "muted" }, ` (${sh[issue][line.target]})`) : null),
          h("td", {}, D.optionLabel(issue, line.walkaway), sh ? h("span", { class: "muted" }, ` (${sh[issue][line.walkaway]})`) : null)
        )
      )
    )
  ));
}

function renderCaucus() {
  if (!caucusUI) buildCaucus();
  if (OBSERVER) return renderObserverCaucus();
  const v = S.view;
  const ts = teamState(MY);
  const inCaucus = v.phase === "caucus" && v.status === "running";
  fill(
    $("#caucus-note"),
    h(
      "p",
      { class: inCaucus ? "chip chip--good" : "chip" },
      inCaucus ? gettext("Caucus is open: align before the table.") : S.view.phase === "epilogue" ? gettext("The deal is made: talk over the epilogue's questions in the chat.") : gettext("Caucus moves open in the next caucus; chat stays open.")
    )
  );
  // Mandate.
  const m = ts.mandate;
  const mKey = m ? `${m.version}` : "none";
  if (caucusUI.seenMandate !== mKey) {
    caucusUI.seenMandate = mKey;
    if (!caucusUI.dirty) prefillMandate();
  }
  const agenda = new Set(currentRound().agenda);
  for (const tr of $$("tr", caucusUI.editor.table)) tr.classList.toggle("on-agenda", agenda.has(tr.dataset.issue));
  setAvailable(caucusUI.editor.save, reason("draft_mandate"));
  caucusUI.editor.save.button.textContent = m ? interpolate(gettext("Save as draft v%(version)s"), { version: m.version + 1 }, true) : gettext("Save draft mandate");
  const myStance = m && ts.stances?.[config.seat];
  const endorsedNow = myStance && myStance.version === m.version && myStance.endorse;
  setAvailable(caucusUI.endorse, reason("endorse_mandate") || (endorsedNow ? gettext("you already endorse this draft") : null));
  setAvailable(caucusUI.object, reason("object_mandate"));
  if (m) caucusUI.endorse.button.textContent = endorsedNow ? interpolate(gettext("✓ You endorse v%(version)s"), { version: m.version }, true) : interpolate(gettext("Endorse v%(version)s"), { version: m.version }, true);
  const everyone =
    m && S.scenario.roles.filter((r) => r.team === MY).every((r) => ts.stances?.[r.id]?.version === m.version && ts.stances[r.id].endorse);
  const mandateBox = $("#mandate");
  if (!mandateBox.dataset.built) {
    mandateBox.dataset.built = "1";
    fill(
      mandateBox,
      h("h3", { class: "panel__h" }, gettext("Mandate")),
      h("div", { id: "mandate-status" }),
      h("div", { id: "mandate-current" }),
      h("div", { id: "stances" }),
      h("div", { class: "stance-actions" }, caucusUI.endorse.wrap, h("span", { class: "inline-field" }, caucusUI.objectReason, caucusUI.object.wrap))
    );
    fill($("#mandate-editor"), caucusUI.editor.table, h("div", { class: "mandate-editor__go" }, caucusUI.editor.save.wrap));
  }
  $("#mandate-panel").hidden = !inCaucus;
  const status = $("#mandate-status");
  fill(
    status,
    !m
      ? h("p", { class: "chip chip--bad" }, inCaucus ? gettext("✗ No mandate yet: draft one in Caucus.") : gettext("✗ No mandate yet: draft one in the caucus."))
      : everyone
        ? h("p", { class: "chip chip--good" }, interpolate(gettext("✓ Every role endorses v%(version)s: you can go to the table aligned."), { version: m.version }, true))
        : h("p", { class: "chip chip--warn" }, interpolate(gettext("… v%(version)s still needs endorsements."), { version: m.version }, true))
  );
  fill($("#mandate-current"), m ? mandateSummary(MY) : null);
  fill($("#stances"), m ? stanceList(MY) : null);
  $(".stance-actions").hidden = !m;
  renderAdvice();
  renderSpeaker();
  renderDeliverables();
  renderChat();
}

function renderSpeaker() {
  const el = $("#speaker");
  const ts = teamState(MY);
  const rnd = currentRound();
  const have = new Set(S.scenario.roles.filter((r) => r.team === MY).map((r) => r.level));
  if (!el.dataset.built) {
    el.dataset.built = "1";
    const buttons = LEVELS.filter((l) => have.has(l)).map((level) => {
      const c = actionButton(levelTitle(level), {
        cls: "button button--small",
        kind: "choose_speaker",
        onClick: () => send({ kind: "choose_speaker", level }, c.button),
      });
      caucusUI.speakers[level] = c;
      return c.wrap;
    });
    fill(el, h("h3", { class: "panel__h" }, gettext("Who speaks at the table")), h("p", { class: "small", id: "speaker-now" }), h("div", { class: "speaker-buttons", role: "group", "aria-label": gettext("Choose the speaking level") }, buttons));
  }
  const mine = S.scenario.roles.find((r) => r.id === config.seat);
  fill(
    $("#speaker-now"),
    ts.speaker_level ? h("strong", {}, interpolate(gettext("%(level)s level chosen."), { level: levelTitle(ts.speaker_level) }, true) + " ") : gettext("No level chosen yet. "),
    rnd.levels.length ? interpolate(gettext("This round needs: %(levels)s."), { levels: rnd.levels.map(levelTitle).join(", ") }, true) + " " : "",
    interpolate(gettext("You are at %(level)s level."), { level: levelTitle(mine.level) }, true)
  );
  for (const [level, c] of Object.entries(caucusUI.speakers)) {
    setAvailable(c, reason("choose_speaker") || (ts.speaker_level === level ? gettext("already chosen") : null));
    c.button.classList.toggle("is-on", ts.speaker_level === level);
    c.button.setAttribute("aria-pressed", String(ts.speaker_level === level));
  }
}

const STATUS_TEXT = { not_started: gettext("Not started"), in_preparation: gettext("In preparation"), prepared: gettext("Prepared"), committed: gettext("Committed at the table") };

function deliverableCard(card, ds, editable) {
  const owners = card.prepared_by.map((r) => {
    const signed = (ds.signed_by || []).includes(r);
    return h("li", { class: signed ? "signed" : "" }, signed ? gettext("✓ signed: ") : gettext("… to sign: "), !OBSERVER && r === config.seat ? gettext("you") : D.roles[r]?.title || r);
  });
  let wait = "";
  if (ds.status === "in_preparation") {
    const missing = card.prepared_by.filter((r) => !(ds.signed_by || []).includes(r));
    const name = (r) => (!OBSERVER && r === config.seat ? gettext("you") : D.roles[r]?.title || r);
    wait = missing.length ? ` — ${interpolate(gettext("waiting for %(names)s"), { names: missing.map(name).join(", ") }, true)}` : ds.ready_round != null ? ` — ${interpolate(gettext("ready in round %(round)s"), { round: ds.ready_round }, true)}` : "";
  }
  const backs = card.backs.map((b) => `${D.issue(b.issue)} (${b.options.map((o) => D.optionLabel(b.issue, o)).join(` ${gettext("or")} `)})`).join("; ");
  // A card whose day has not come: the server says why, and from which round it can be prepared.
  const early = editable ? (S.view && S.view.cards_waiting && S.view.cards_waiting[card.id]) || null : null;
  let button = null;
  if (editable && card.prepared_by.includes(config.seat) && !(ds.signed_by || []).includes(config.seat)) {
    const c = actionButton(gettext("Prepare (sign off)"), {
      cls: "button button--small button--go",
      kind: "prepare_deliverable",
      onClick: () => send({ kind: "prepare_deliverable", deliverable: card.id }, c.button),
    });
    setAvailable(c, early || reason("prepare_deliverable"));
    button = c.wrap;
  }
  return h(
    "li",
    { class: `card-item card-item--${ds.status || "not_started"}`, dataset: { card: card.id } },
    h("p", { class: "card-item__title" }, h("strong", {}, card.title), " ", h("span", { class: "badge" }, (config.card_kinds || {})[card.kind] || card.kind)),
    h("p", { class: "card-item__status" }, h("span", { class: `status status--${ds.status || "not_started"}` }, STATUS_TEXT[ds.status || "not_started"]), wait, ds.shown ? gettext(" · shown at the table") : ""),
    early ? h("p", { class: "small card-item__early" }, early) : null,
    h("p", { class: "small" }, h("strong", {}, gettext("Backs: ")), backs),
    h("ul", { class: "owners small" }, owners),
    button
  );
}

function renderDeliverables() {
  const ds = teamState(MY).deliverables || {};
  fill(
    $("#deliverables"),
    h("h3", { class: "panel__h" }, gettext("Execution cards")),
    h("ul", { class: "cards" }, ownCards().map((c) => deliverableCard(c, ds[c.id] || {}, true)))
  );
}

function chatItems(t) {
  return S.events
    .filter((e) => e.type === "chat_posted" && e.team === t)
    .map((e) =>
      h(
        "li",
        { class: e.actor === config.seat ? "mine" : "" },
        h("span", { class: "chat__who" }, D.who(e.actor)),
        h("span", { class: "chat__time small muted" }, ` ${timeOfDay(e.at)}`),
        h("p", { class: "chat__text" }, e.data.text)
      )
    );
}

// --- bot teammates: the human plays the floor; the bots advise unless the human delegates the round ---
const FLOOR_EVENT_TYPES = new Set(["offer_proposed", "offer_accepted", "offer_rejected", "offer_withdrawn", "statement_made", "recess_called"]);
let adviceUI = null;

function currentSuggestion() {
  // The team's latest advice, if nothing has passed the floor since it was given.
  for (let i = S.events.length - 1; i >= 0; i--) {
    const e = S.events[i];
    if (FLOOR_EVENT_TYPES.has(e.type) || e.type === "phase_started") return null;
    if (e.type === "move_suggested" && e.team === MY) return e;
  }
  return null;
}

function buildAdvice() {
  const delegate = actionButton(gettext("Let my team play this round"), {
    cls: "button",
    kind: "delegate",
    onClick: () => send({ kind: "delegate", on: teamState(MY).delegated_round !== S.view.round }, delegate.button),
  });
  const adopt = actionButton(gettext("Adopt this move"), {
    cls: "button button--go",
    kind: "adopt",
    onClick: () => adviceUI.suggestion && send(adviceUI.suggestion.data.move, adopt.button),
  });
  adviceUI = { delegate, adopt, suggestion: null };
}

function renderAdvice() {
  const el = $("#advice");
  const teammates = S.presence.some((p) => p.team === MY && p.kind === "bot");
  if (!teammates) return fill(el);
  if (!adviceUI) buildAdvice();
  const delegated = teamState(MY).delegated_round === S.view.round;
  adviceUI.delegate.button.textContent = delegated ? gettext("Take the floor back") : gettext("Let my team play this round");
  adviceUI.delegate.button.setAttribute("aria-pressed", delegated ? "true" : "false");
  setAvailable(adviceUI.delegate, reason("delegate"));
  const s = currentSuggestion();
  adviceUI.suggestion = s;
  const kind = s && s.data.move.kind;
  setAvailable(adviceUI.adopt, !s ? gettext("no suggestion") : S.view.floor !== MY || S.view.phase !== "table" ? gettext("your team does not hold the floor") : reason(kind));
  const card = s
    ? h(
        "article",
        { class: "advice-card", "aria-label": gettext("Suggestion from your team") },
        h("p", { class: "advice-card__who small muted" }, interpolate(gettext("%(who)s suggests"), { who: D.who(s.actor) }, true)),
        h("p", { class: "advice-card__text" }, s.data.text),
        adviceUI.adopt.wrap,
        s.data.note || s.data.details
          ? detailsToggle(`advice-${s.seq}`, "advice-card__details small", [s.data.note, s.data.details].filter(Boolean).join(" "))
          : null
      )
    : h("p", { class: "small muted" }, gettext("When your team has the floor, your bot teammates suggest a move here; you decide."));
  fill(
    el,
    h("h3", { class: "panel__h" }, gettext("Your team's advice")),
    h(
      "p",
      { class: delegated ? "chip chip--warn" : "chip chip--good" },
      delegated ? gettext("Your bot teammates play the table for the rest of this round.") : S.view.phase === "epilogue" ? gettext("Your team's answers in the epilogue are yours: your bot teammates do not answer for you.") : gettext("You hold the floor: your bot teammates advise, they do not move for you.")
    ),
    card,
    h("div", { class: "advice__delegate" }, adviceUI.delegate.wrap)
  );
}

function renderChat() {
  const el = $("#chat");
  if (!el.dataset.built) {
    el.dataset.built = "1";
    fill(
      el,
      h("h3", { class: "panel__h" }, gettext("Team chat "), h("span", { class: "small muted" }, gettext("(only your team sees it)"))),
      h("ol", { class: "chat", id: "chat-list" }),
      h("div", { class: "inline-field chat__form" }, caucusUI.chatInput, caucusUI.chatSend.wrap)
    );
  }
  const list = $("#chat-list");
  const items = chatItems(MY);
  if (list.childElementCount !== items.length) {
    fill(list, items.length ? items : [h("li", { class: "muted small" }, gettext("No messages yet."))]);
    list.scrollTop = list.scrollHeight;
  }
  setAvailable(caucusUI.chatSend, reason("team_chat"));
}

function renderObserverCaucus() {
  const el = $("#caucus");
  fill(
    el,
    teamIds.map((t) => {
      const ds = teamState(t).deliverables || {};
      const cards = (S.scenario.deliverables || []).filter((d) => d.team === t);
      return h(
        "section",
        { class: `observer-team ${teamInfo[t].cls}` },
        h("h3", {}, teamTag(t, "team-tag--solid"), " ", gettext("caucus")),
        mandateSummary(t),
        stanceList(t),
        h("p", { class: "small" }, interpolate(gettext("Speaker: %(level)s · escalations left: %(count)s"), { level: (teamState(t).speaker_level ? levelTitle(teamState(t).speaker_level) : gettext("not chosen")), count: teamState(t).escalations_left ?? "?" }, true)),
        h("details", {}, h("summary", {}, gettext("Execution cards")), h("ul", { class: "cards" }, cards.map((c) => deliverableCard(c, ds[c.id] || {}, false)))),
        h("details", {}, h("summary", {}, gettext("Team chat")), h("ol", { class: "chat" }, chatItems(t)))
      );
    })
  );
}

// --- score -------------------------------------------------------------------------------------------------
function subscores(team) {
  // The scorer's figures as the server sent them; before the first score there is nothing to show.
  const line = (S.scores && S.scores[team]) || {};
  return { sub: line.subscores || {}, index: line.alignment ?? null, penalty: line.backpedal_penalty || 0 };
}

function alignmentBlock(team) {
  const { sub, index, penalty } = subscores(team);
  return h(
    "div",
    { class: `alignment ${teamInfo[team].cls}` },
    h(
      "p",
      { class: "alignment__index" },
      h("span", { class: "alignment__n" }, index === null ? "–" : Math.max(0, Math.min(100, index)).toFixed(0)),
      h("span", { class: "alignment__of" }, "/100"),
      h("span", { class: "alignment__label" }, gettext("Alignment index"), OBSERVER ? ` · ${teamName(team)}` : "")
    ),
    h(
      "ul",
      { class: "bars" },
      config.dimensions
        .filter((d) => d.id in sub)
        .map((d) =>
          h(
            "li",
            { class: "bar", title: d.question },
            h("span", { class: "bar__label" }, d.title),
            h("span", { class: "bar__track", "aria-hidden": "true" }, h("span", { class: `bar__fill ${sub[d.id] < 50 ? "bar__fill--low" : ""}`, style: `width:${Math.max(0, Math.min(100, sub[d.id]))}%` })),
            h("span", { class: "bar__value" }, sub[d.id].toFixed(0))
          )
        )
    ),
    penalty ? h("p", { class: "small bad" }, interpolate(gettext("Backpedaling: %(penalty)s points off the index."), { penalty }, true)) : null
  );
}

function renderObserverControls() {
  const st = S.view.status;
  const allowed = { start: st === "lobby", pause: st === "running", resume: st === "paused", advance: st === "running", extend: st === "running" || st === "paused", extend_x: st === "running" && S.view.phase === "table", end: st !== "finished", push_inject: st !== "finished" };
  for (const b of $$("#observer-controls button[data-control]")) {
    const ok = allowed[b.dataset.control] ?? true;
    b.setAttribute("aria-disabled", ok ? "false" : "true");
    b.title = ok ? "" : gettext("Not possible in this state of the game");
  }
}

function renderScore() {
  const v = S.view;
  const outcome = $("#outcome");
  if (OBSERVER) {
    fill(
      outcome,
      h(
        "table",
        { class: "mini-board" },
        h("thead", {}, h("tr", {}, h("th", {}, gettext("Team")), h("th", { class: "num" }, gettext("Score")), h("th", { class: "num" }, gettext("Outcome")), h("th", { class: "num" }, gettext("Alignment")))),
        h(
          "tbody",
          {},
          teamIds.map((t) => {
            const s = (S.scores || {})[t] || {};
            return h("tr", {}, h("td", {}, teamTag(t)), h("td", { class: "num" }, s.score ?? "—"), h("td", { class: "num" }, s.outcome ?? "—"), h("td", { class: "num" }, s.alignment ?? "—"));
          })
        )
      )
    );
    fill($("#alignment"), teamIds.map(alignmentBlock));
  } else {
    const deal = v.result && v.result.kind === "deal";
    const theirs = S.view.offers?.[teamState(OTHER).standing_offer];
    const mine = deal ? pointsOf(v.result.package) : v.batna;
    fill(
      outcome,
      h(
        "div",
        { class: "outcome" },
        h("p", { class: "outcome__n" }, h("span", {}, String(mine)), h("span", { class: "outcome__unit" }, " " + gettext("points"))),
        h(
          "p",
          { class: "outcome__text" },
          deal ? interpolate(gettext("Agreed package, against a BATNA of %(batna)s."), { batna: v.batna }, true) : v.status === "finished" ? gettext("No deal: you fall back on your BATNA.") : interpolate(gettext("No deal yet: your BATNA is %(batna)s."), { batna: v.batna }, true),
          !deal && theirs ? " " + interpolate(gettext("Their offer on the table would give you %(points)s."), { points: pointsOf(theirs.package) }, true) : ""
        )
      )
    );
    fill($("#alignment"), alignmentBlock(MY));
  }
  const notes = S.annotations.slice().sort((a, b) => (b.scored_at ?? b.seq) - (a.scored_at ?? a.seq) || b.id - a.id);
  fill(
    $("#notes"),
    notes.length
      ? notes.map((a) =>
          h(
            "li",
            { class: `note note--${MARK_CLASS[a.mark]} ${teamInfo[a.team]?.cls || ""}`, dataset: { rule: a.rule } },
            h("span", { class: "mark", title: config.marks[a.mark] }, a.mark),
            h(
              "div",
              { class: "note__body" },
              h("p", { class: "note__reason" }, a.reason),
              h(
                "p",
                { class: "note__meta small muted" },
                OBSERVER ? `${teamName(a.team)} · ` : "",
                `${config.marks[a.mark]} · ${(config.dimensions.find((d) => d.id === a.dimension) || {}).title || a.dimension} `,
                h("strong", { class: a.effect >= 0 ? "good" : "bad" }, `${a.effect >= 0 ? "+" : ""}${Number(a.effect).toFixed(1)}`),
                ` · ${interpolate(gettext("round %(round)s"), { round: a.round }, true)} · `,
                sourceLink(a.citation)
              )
            )
          )
        )
      : [h("li", { class: "muted small" }, gettext("No score notes yet. They appear here as your team acts at the table."))]
  );
}

// --- observer controls -------------------------------------------------------------------------------------
if (OBSERVER) {
  const root = $("#observer-controls");
  if (root) {
    const btn = (label, move, cls = "button button--small") =>
      h("button", { type: "button", class: cls, dataset: { control: move.kind + (move.exchanges ? "_x" : "") }, on: { click: (ev) => ev.currentTarget.getAttribute("aria-disabled") !== "true" && control(move) } }, label);
    const injectSel = h("select", { "aria-label": gettext("Inject to push") }, (S.scenario.injects || []).map((i) => h("option", { value: i.id }, i.title)));
    fill(
      root,
      btn(gettext("Start"), { kind: "start" }, "button button--small button--go"),
      btn(gettext("Pause"), { kind: "pause" }),
      btn(gettext("Resume"), { kind: "resume" }),
      btn(gettext("Advance phase"), { kind: "advance" }),
      btn(gettext("+2 min"), { kind: "extend", seconds: 120 }),
      btn(gettext("+2 exchanges"), { kind: "extend", exchanges: 2 }),
      h("span", { class: "inline-field" }, injectSel, h("button", { type: "button", class: "button button--small", dataset: { control: "push_inject" }, on: { click: () => control({ kind: "push_inject", inject: injectSel.value }) } }, gettext("Push inject"))),
      h("button", { type: "button", class: "button button--small button--bad", dataset: { control: "end" }, on: { click: () => window.confirm(gettext("End this table now? Both teams get their BATNA.")) && control({ kind: "end" }) } }, gettext("End table"))
    );
  }
}

// Keyboard: Alt+N advances in practice mode.
document.addEventListener("keydown", (ev) => {
  if (ev.altKey && (ev.key === "n" || ev.key === "N") && $("#advance")) {
    ev.preventDefault();
    $("#advance").click();
  }
});
if ($("#advance")) {
  $("#advance").addEventListener("click", () => {
    if ($("#advance").getAttribute("aria-disabled") === "true") {
      $("#advance-wrap").classList.add("act--explain");
      setTimeout(() => $("#advance-wrap").classList.remove("act--explain"), 2500);
      return;
    }
    send({ kind: "advance" }, $("#advance"));
  });
}

const sb = $("#statusbar");
new ResizeObserver(() => document.documentElement.style.setProperty("--statusbar-h", `${sb.offsetHeight}px`)).observe(sb);

socket.start();
window.__table = S; // for debugging
window.__tableSocket = socket;
