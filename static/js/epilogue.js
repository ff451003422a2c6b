// The epilogue on the table page: after a deal, the aftermath's news presses each team about the deal
// its table made. For each question put to this seat's team: hold the deal, clarify it (a statement
// that keeps the term) or reopen a term; the other team's questions and answers are shown as they come.
// The engine decides what is allowed (the view's `moves`); this file only shows and sends.
import { h, fill, actionButton, setAvailable } from "./dom.js";

export function makeEpilogue({ root, heading, list, brief, scenario, my, teamName, send, reason, sheet, toast }) {
  const ep = scenario.epilogue;
  const injects = Object.fromEntries((scenario.injects || []).map((i) => [i.id, i]));
  const issues = Object.fromEntries((scenario.issues || []).map((i) => [i.id, i]));
  const label = (issue, option) => issues[issue]?.options.find((o) => o.id === option)?.label || option;
  const slots = {}; // pressure id -> { el, key, controls }
  const other = (team) => (scenario.teams || []).map((t) => t.id).find((t) => t !== team);

  function answerLine(p, a) {
    const who = teamName(p.team);
    if (a.choice === "reopen") {
      return h("p", { class: "epilogue__answer epilogue__answer--reopen" },
        h("strong", {}, interpolate(gettext("%(team)s reopened %(issue)s: from “%(was)s” to “%(option)s”."), { team: who, issue: issues[a.issue]?.title || a.issue, was: label(a.issue, a.was), option: label(a.issue, a.option) }, true)),
        " ", interpolate(gettext("The final deal changes against %(other)s."), { other: teamName(other(p.team)) }, true));
    }
    // The answer's own words (free text) follow the sentence as written.
    const said = a.text ? ` “${a.text}”` : "";
    if (a.choice === "clarify") {
      return h("p", { class: "epilogue__answer epilogue__answer--keep" },
        h("strong", {}, interpolate(a.text ? gettext("%(team)s clarified the deal and kept the term:") : gettext("%(team)s clarified the deal and kept the term."), { team: who }, true)), said);
    }
    return h("p", { class: "epilogue__answer epilogue__answer--keep" },
      h("strong", {}, interpolate(a.text ? gettext("%(team)s held the deal:") : gettext("%(team)s held the deal as agreed."), { team: who }, true)), said);
  }

  function buildControls(p, package_) {
    const id = (x) => `ep-${p.id}-${x}`;
    const hold = actionButton(gettext("Hold the deal"), { cls: "button", kind: "answer_pressure", onClick: () => send({ kind: "answer_pressure", pressure: p.id, choice: "hold" }, hold.button) });
    const text = h("textarea", { id: id("text"), rows: 2, maxlength: 1000, placeholder: gettext("e.g. Transshipment means goods that fail the agreed origin rules; nothing else changes.") });
    const clarify = actionButton(gettext("Clarify and keep the term"), {
      cls: "button",
      kind: "answer_pressure",
      onClick: () => {
        const said = text.value.trim();
        if (!said) {
          toast(gettext("Write what your team says to keep the term first."));
          text.focus();
          return;
        }
        send({ kind: "answer_pressure", pressure: p.id, choice: "clarify", text: said }, clarify.button);
      },
    });
    const own = sheet() || {};
    const choices = p.issues.flatMap((issue) =>
      (issues[issue]?.options || [])
        .filter((o) => o.id !== package_[issue] && (!own[issue] || own[issue][o.id] > own[issue][package_[issue]]))
        .map((o) => h("option", { value: `${issue}:${o.id}` }, p.issues.length > 1 ? `${issues[issue].title}: ${o.label}` : o.label))
    );
    const pick = h("select", { id: id("term") }, choices.length ? choices : [h("option", { value: "" }, gettext("Nothing here would be better for your team"))]);
    const reopen = actionButton(gettext("Reopen this term"), {
      cls: "button button--danger",
      kind: "answer_pressure",
      onClick: () => {
        const [issue, option] = pick.value.split(":");
        if (!option) return;
        send({ kind: "answer_pressure", pressure: p.id, choice: "reopen", issue, option }, reopen.button);
      },
    });
    const el = h(
      "fieldset",
      { class: "epilogue__choices" },
      h("legend", {}, gettext("Your team's answer")),
      h("div", { class: "epilogue__choice" }, hold.wrap, h("p", { class: "small muted" }, gettext("Keep every term as agreed."))),
      h("div", { class: "epilogue__choice" }, h("label", { for: id("text") }, gettext("What your team says to keep the term")), text, clarify.wrap,
        h("p", { class: "small muted" }, gettext("Say what the term means and keep it."))),
      h("div", { class: "epilogue__choice" }, h("label", { for: id("term") }, gettext("The term to reopen, and what your team now asks")), pick, reopen.wrap,
        h("p", { class: "small muted" }, interpolate(gettext("Asks for more: the final deal changes against %(other)s, and they see your team go back on a signed term."), { other: teamName(other(p.team)) }, true)))
    );
    return { el, buttons: [hold, clarify, reopen], empty: !choices.length, reopen };
  }

  function card(p, view) {
    const a = view.epilogue.answers[p.id] || null;
    const news = injects[p.inject];
    const mine = p.team === my;
    const pkg = view.epilogue.package;
    const controls = !a && mine && view.status === "running" ? buildControls(p, pkg) : null;
    const waiting = !a && !controls ? h("p", { class: "small muted" }, view.status === "finished" ? gettext("No answer: the terms stayed as agreed.") : interpolate(gettext("Waiting for %(team)s to answer."), { team: teamName(p.team) }, true)) : null;
    const el = h(
      "article",
      { class: `epilogue__card${mine ? " epilogue__card--mine" : ""}`, dataset: { pressure: p.id } },
      h("p", { class: "eyebrow" }, interpolate(mine ? gettext("News: %(news)s · asked of your team") : gettext("News: %(news)s · asked of %(team)s"), { news: news ? news.title : p.inject, team: teamName(p.team) }, true)),
      h("p", { class: "epilogue__question" }, p.question),
      h("p", { class: "small" }, h("strong", {}, gettext("Your deal says:")), " ", p.issues.map((i) => `${issues[i]?.title || i}: ${label(i, pkg[i])}`).join("; ")),
      a ? answerLine(p, a) : null,
      controls ? controls.el : null,
      waiting
    );
    return { el, controls, key: a ? `answered:${a.seq}` : `${view.status}:${mine}` };
  }

  function render(view) {
    if (!ep || !view.epilogue) {
      root.hidden = true;
      return;
    }
    root.hidden = false;
    if (!brief.textContent) {
      heading.textContent = ep.title;
      brief.textContent = `${ep.date}. ${ep.briefing}`;
    }
    const ordered = [...ep.pressures].sort((a, b) => (b.team === my) - (a.team === my));
    if (!list.children.length) for (const p of ordered) list.append((slots[p.id] = { el: h("li", { class: "epilogue__item" }), key: null }).el);
    for (const p of ordered) {
      const slot = slots[p.id];
      const a = view.epilogue.answers[p.id];
      const key = a ? `answered:${a.seq}` : `${view.status}:${p.team === my}`;
      if (slot.key !== key) {
        const built = card(p, view);
        fill(slot.el, built.el);
        slot.key = key;
        slot.controls = built.controls;
      }
      if (slot.controls) {
        for (const b of slot.controls.buttons) setAvailable(b, reason("answer_pressure"));
        if (slot.controls.empty) setAvailable(slot.controls.reopen, gettext("the deal already gives your team the best it can ask on these terms"));
      }
    }
  }

  return { render };
}
