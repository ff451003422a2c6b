// The facilitator's console: every table of the workshop live, with controls per table and for all.
import { h, fill, $, $$, clock } from "./dom.js";
import { LiveSocket } from "./socket.js";

const config = JSON.parse($("#console-config").textContent);
const teamInfo = Object.fromEntries(config.teams.map((t) => [t.id, t]));
const PHASES = config.phases;
const tables = new Map(); // match id -> summary
const changedAt = new Map(); // match id -> [version, ms when it last changed]
let serverOffset = 0;

function toast(message, kind = "bad") {
  const el = $("#toast");
  fill(el, h("p", {}, message.charAt(0).toUpperCase() + message.slice(1)), h("button", { type: "button", class: "link-button", on: { click: () => (el.hidden = true) } }, gettext("Dismiss")));
  el.className = `toast toast--${kind}`;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 8000);
}

const socket = new LiveSocket({
  url: () => config.ws_path,
  onFrame,
  onState: (state) => {
    const el = $("#conn");
    el.textContent = { connecting: gettext("Connecting…"), live: gettext("Live"), reconnecting: gettext("Reconnecting…"), closed: gettext("Not allowed: sign in again") }[state];
    el.className = `conn conn--${state}`;
    document.body.dataset.conn = state;
  },
});

function remember(t) {
  const prev = changedAt.get(t.match);
  if (!prev || prev[0] !== t.version) changedAt.set(t.match, [t.version, Date.now()]);
  tables.set(t.match, t);
}

function onFrame(f) {
  if (f.type === "workshop") {
    for (const t of f.tables) remember(t);
    render();
  } else if (f.type === "table_summary") {
    const before = tables.get(f.table.match);
    remember(f.table);
    if (before && before.phase !== f.table.phase) $("#announcer").textContent = interpolate(gettext("%(table)s: %(phase)s of round %(round)s."), { table: f.table.label, phase: PHASES[f.table.phase], round: f.table.round }, true);
    render();
  } else if (f.type === "pong" && f.server_time) {
    serverOffset = f.server_time - Date.now() / 1000;
  }
}

async function control(table, move, label) {
  try {
    const ack = await socket.request({ type: "control", table, move });
    if (table === "all" && ack.results) {
      const bad = ack.results.filter((r) => r.error);
      const ok = ack.results.length - bad.length;
      if (bad.length) toast(interpolate(ngettext("%(action)s: done at %(ok)s table; not at %(bad)s: %(errors)s.", "%(action)s: done at %(ok)s tables; not at %(bad)s: %(errors)s.", ok), { action: label, ok, bad: bad.length, errors: [...new Set(bad.map((r) => r.error.message))].join("; ") }, true), "info");
      else toast(interpolate(gettext("%(action)s: done at every table."), { action: label }, true), "good");
    } else if (table === "slowest" && ack.results) {
      const t = tables.get(ack.results[0].table);
      toast(t ? interpolate(gettext("Advanced %(table)s."), { table: t.label }, true) : gettext("Advanced the slowest table."), "good");
    }
  } catch (err) {
    toast(err.message || gettext("Refused."));
  }
}

async function cover(table, role_id, bot) {
  try {
    await socket.request({ type: "cover", table, role_id, bot });
  } catch (err) {
    toast(err.message || gettext("Refused."));
  }
}

function flags(t) {
  const out = [];
  const running = t.status === "running";
  const humans = t.seats.filter((s) => s.kind === "human");
  // An offline trainee matters only while their table can still be played.
  if (t.status !== "finished") for (const s of humans) if (!s.connected && !s.bot_cover) out.push(interpolate(gettext("Idle seat: %(name)s (%(role)s) is offline"), { name: s.display_name || gettext("a trainee"), role: config.roles[s.role_id]?.title || s.role_id }, true));
  if (!humans.length && t.status !== "finished") out.push(gettext("No trainee at this table yet"));
  const since = changedAt.get(t.match);
  if (running && since && Date.now() - since[1] > config.stuck_seconds * 1000) {
    out.push(interpolate(gettext("Stuck? No move for %(minutes)s min in the %(phase)s"), { minutes: Math.round((Date.now() - since[1]) / 60000), phase: PHASES[t.phase].toLowerCase() }, true));
  }
  if (running && t.deadline && t.deadline - (Date.now() / 1000 + serverOffset) < 0) out.push(gettext("Phase timer has run out"));
  return out;
}

function statusLine(t) {
  if (t.status === "lobby") return gettext("Waiting to start");
  if (t.status === "finished") return t.result?.kind === "deal" ? gettext("Finished: deal") : gettext("Finished: no deal");
  const base = `${interpolate(gettext("Round %(index)s"), { index: t.round }, true)} · ${PHASES[t.phase]}`;
  return t.status === "paused" ? `${base} · ${gettext("PAUSED")}` : base;
}

function seatsBlock(t) {
  return config.teams.map((team) => {
    const seats = t.seats.filter((s) => s.team === team.id);
    const bots = seats.filter((s) => s.kind === "bot").length;
    const empty = seats.filter((s) => s.kind === "empty").length;
    return h(
      "div",
      {},
      h("span", { class: `team-tag ${team.cls}` }, team.name),
      h(
        "ul",
        {},
        seats
          .filter((s) => s.kind === "human")
          .map((s) =>
            h(
              "li",
              { class: `person person--${s.connected ? "online" : "offline"}`, dataset: { role: s.role_id } },
              h("span", { class: "person__dot", "aria-hidden": "true" }),
              h("span", { class: "person__name" }, s.display_name || gettext("Trainee")),
              h("span", { class: "person__state small" }, s.connected ? "online" : "offline"),
              h("span", { class: "person__role small muted" }, config.roles[s.role_id]?.title || s.role_id),
              s.bot_cover ? h("span", { class: "person__extra chip small" }, gettext("a bot is playing")) : null,
              // A finished table has no seat left to play: nothing to hand over.
              t.status === "finished" ? null : h(
                "button",
                {
                  type: "button",
                  class: "person__extra link-button small",
                  "aria-label": `${s.bot_cover ? gettext("Take back from the bot") : gettext("Hand to a bot")}: ${s.display_name || gettext("Trainee")}`,
                  on: { click: () => cover(t.match, s.role_id, !s.bot_cover) },
                },
                s.bot_cover ? gettext("Take back from the bot") : gettext("Hand to a bot")
              )
            )
          ),
        bots || empty ? h("li", { class: "small muted" }, [bots ? interpolate(ngettext("%(count)s bot", "%(count)s bots", bots), { count: bots }, true) : "", empty ? interpolate(gettext("%(count)s empty"), { count: empty }, true) : ""].filter(Boolean).join(" · ")) : null
      )
    );
  });
}

function scoresBlock(t) {
  if (!t.scores || (t.round < 1 && t.status !== "finished")) return h("p", { class: "small muted" }, gettext("Scores appear once the teams reach the table."));
  return h(
    "table",
    { class: "tcard__scores" },
    h("thead", {}, h("tr", {}, h("th", {}, gettext("Team")), h("th", { class: "num" }, gettext("Score")), h("th", { class: "num" }, gettext("Outcome")), h("th", { class: "num" }, gettext("Alignment")))),
    h(
      "tbody",
      {},
      config.teams.map((team) => {
        const s = t.scores[team.id] || {};
        return h("tr", {}, h("td", {}, h("span", { class: `team-tag ${team.cls}` }, team.name)), h("td", { class: "num" }, h("strong", {}, s.score ?? "—")), h("td", { class: "num" }, s.outcome ?? "—"), h("td", { class: "num" }, s.alignment != null ? Math.round(s.alignment) : "—"));
      })
    )
  );
}

function card(t) {
  const fl = flags(t);
  const btn = (label, move, enabled, cls = "button button--small") =>
    h("button", { type: "button", class: cls, "aria-disabled": enabled ? null : "true", title: enabled ? "" : gettext("Not possible now"), on: { click: () => enabled && control(t.match, move, label) } }, label);
  const running = t.status === "running";
  const timer = t.deadline && running ? interpolate(gettext("%(time)s left"), { time: clock(t.deadline - (Date.now() / 1000 + serverOffset)) }, true) : t.status === "running" ? gettext("no timer") : "";
  const injectSel = h("select", { "aria-label": interpolate(gettext("Inject for %(table)s"), { table: t.label }, true) }, config.injects.map((i) => h("option", { value: i.id }, i.title)));
  return h(
    "article",
    { class: `tcard ${fl.length ? "tcard--flagged" : ""} ${t.status === "finished" ? "tcard--finished" : ""}`, dataset: { match: t.match, status: t.status, phase: t.phase, round: t.round } },
    h("div", { class: "tcard__head" }, h("h3", {}, t.label), h("span", { class: "tcard__state" }, statusLine(t))),
    h(
      "p",
      { class: "small muted" },
      t.status === "running" || t.status === "paused"
        ? `${t.exchange_limit ? interpolate(gettext("%(left)s of %(limit)s exchanges left"), { left: Math.max(0, t.exchange_limit - t.exchanges_used), limit: t.exchange_limit }, true) : gettext("no table this round")} · ${timer}${t.floor ? ` · ${interpolate(gettext("floor: %(team)s"), { team: teamInfo[t.floor]?.name }, true)}` : ""} · ${interpolate(gettext("%(count)s connected"), { count: t.connected }, true)}`
        : interpolate(gettext("%(count)s connected"), { count: t.connected }, true)
    ),
    fl.length ? h("ul", { class: "tcard__flags" }, fl.map((x) => h("li", {}, x))) : null,
    h("div", { class: "tcard__seats" }, seatsBlock(t)),
    scoresBlock(t),
    h(
      "div",
      { class: "tcard__controls" },
      btn(gettext("Start"), { kind: "start" }, t.status === "lobby", "button button--small button--go"),
      t.status === "paused" ? btn(gettext("Resume"), { kind: "resume" }, true) : btn(gettext("Pause"), { kind: "pause" }, running),
      btn(gettext("Advance"), { kind: "advance" }, running),
      btn(gettext("+2 min"), { kind: "extend", seconds: 120 }, running || t.status === "paused"),
      btn(gettext("+2 exchanges"), { kind: "extend", exchanges: 2 }, running && t.phase === "table"),
      h("a", { class: "button button--small", href: config.observe_url.replace("{n}", t.table_no) }, gettext("Observe")),
      t.status === "finished" ? h("a", { class: "button button--small", href: config.debrief_url.replace("{id}", config.public_ids[t.match]) }, gettext("Debrief")) : null
    ),
    t.status !== "finished"
      ? h(
          "details",
          { class: "small" },
          h("summary", {}, gettext("Inject or end")),
          h("div", { class: "inline-field", style: "margin-top:.4rem" }, injectSel, h("button", { type: "button", class: "button button--small", on: { click: () => control(t.match, { kind: "push_inject", inject: injectSel.value }, gettext("Inject")) } }, gettext("Push"))),
          h("p", {}, h("button", { type: "button", class: "button button--small button--bad", on: { click: () => window.confirm(interpolate(gettext("End %(table)s now? Both teams get their BATNA."), { table: t.label }, true)) && control(t.match, { kind: "end" }, gettext("End")) } }, interpolate(gettext("End %(table)s"), { table: t.label }, true)))
        )
      : null
  );
}

function render() {
  const root = $("#tables");
  const open = new Set($$("details[open]", root).map((d) => d.closest(".tcard")?.dataset.match));
  const list = [...tables.values()].sort((a, b) => (a.table_no ?? 0) - (b.table_no ?? 0));
  fill(root, list.map(card));
  for (const d of $$("details", root)) if (open.has(d.closest(".tcard").dataset.match)) d.open = true;
  // The main button is the next thing to do: start while a table waits, the debrief once every table is over.
  $("[data-all=start]").classList.toggle("button--go", list.some((t) => t.status === "lobby"));
  $("#open-debrief").classList.toggle("button--go", list.length > 0 && list.every((t) => t.status === "finished"));
}
setInterval(render, 5000); // timers and "stuck" flags move on even when nothing happens

for (const b of $$("[data-all]")) {
  b.addEventListener("click", () => {
    const kind = b.dataset.all;
    const move = kind === "extend" ? { kind, seconds: 120 } : kind === "push_inject" ? { kind, inject: $("#inject-all").value } : { kind };
    if (kind === "end" && !window.confirm(gettext("End every table now? Teams without a deal get their BATNA."))) return;
    control("all", move, b.textContent);
  });
}
// A private nudge to one trainee goes over the console's socket; only that seat's pages show it.
const matchOf = Object.fromEntries(Object.entries(config.public_ids).map(([pk, pub]) => [pub, Number(pk)]));
for (const form of $$("[data-nudge]")) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = form.elements.text;
    try {
      await socket.request({ type: "nudge", table: matchOf[form.dataset.table], role_id: form.dataset.role, text: input.value });
      toast(interpolate(gettext("Nudge sent: “%(text)s”"), { text: input.value.trim() }, true), "good");
      input.value = "";
    } catch (err) {
      toast(err.message || gettext("The nudge was not sent."));
    }
  });
}
// The server picks the slowest running table (game.engine.flow.slowest) and advances it.
for (const b of $$("[data-slowest]")) {
  b.addEventListener("click", () => control("slowest", { kind: "advance" }, b.textContent));
}

const projector = $("#projector");
$("#projector-on").addEventListener("click", () => {
  projector.hidden = false;
  $("#projector-off").focus();
  if (projector.requestFullscreen) projector.requestFullscreen().catch(() => {});
});
function closeProjector() {
  projector.hidden = true;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  $("#projector-on").focus();
}
$("#projector-off").addEventListener("click", closeProjector);
document.addEventListener("keydown", (ev) => ev.key === "Escape" && !projector.hidden && closeProjector());

socket.start();
window.__console = { tables };
