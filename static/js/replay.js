/* Replay stepper: reads the document the server built once (#replay-data) and steps through it.
   Nothing is recomputed here: every state, score and annotation comes from the server. */
(function () {
  "use strict";
  var el = document.getElementById("replay-data");
  if (!el) return;
  var D = JSON.parse(el.textContent);
  var N = D.events.length;
  var pos = 0; // 0 = before the first event; i = after events[i-1]
  var timer = null;
  var MISTAKES = { "?!": 1, "?": 1, "??": 1 };
  var MARK_CLASS = { "!!": "brilliant", "!": "good", "?!": "dubious", "?": "mistake", "??": "blunder" };
  var PHASES = D.phases;
  var teamCls = {}, teamName = {}, teamShort = {};
  D.teams.forEach(function (t) { teamCls[t.id] = t.cls; teamName[t.id] = t.name; teamShort[t.id] = t.short; });
  var $ = function (sel) { return document.querySelector(sel); };
  var ctl = function (name) { return document.querySelector('[data-rp="' + name + '"]'); };

  function h(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "cls") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function role(id) { return (D.roles[id] && D.roles[id].title) || id || ""; }
  function optLabel(issue, opt) { return (issue.options && issue.options[opt]) || opt; }
  function stateAt(p) { return p === 0 ? D.initial : D.states[p - 1]; }
  function ann(id) { return D.annotations[id]; }

  function markNode(a, full) {
    var cite = a.citation ? h("a", { href: "/seeds/" + encodeURIComponent(a.citation.seed) + "/?q=" + encodeURIComponent(a.citation.quote) + "#quote", cls: "cite", title: a.citation.quote, text: gettext("source") }) : null;
    var who = a.seat ? role(a.seat) : interpolate(gettext("%(team)s (team)"), { team: teamName[a.team] || a.team }, true);
    var body = [h("p", { cls: "note__reason" }, [h("strong", { text: who + ": " }), a.reason + " "])];
    if (full) {
      body.push(h("p", { cls: "small muted" }, [(D.rules[a.rule] || a.rule) + " · " + ((D.dimensions[a.dimension] || {}).title || a.dimension) + " " + (a.delta > 0 ? "+" : "") + a.delta +
        " · " + (a.dimension === "backpedal" ? interpolate(gettext("moved the index %(effect)s"), { effect: (a.effect > 0 ? "+" : "") + a.effect }, true) : interpolate(gettext("moved the sub-score %(effect)s"), { effect: (a.effect > 0 ? "+" : "") + a.effect }, true)) +
        (a.scored_at !== a.seq ? " · " + interpolate(gettext("judged at event %(seq)s"), { seq: a.scored_at }, true) : "") + " ", cite]));
      if (a.citation) body.push(h("p", { cls: "small rp-quote", text: "“" + a.citation.quote + "” — " + a.citation.seed }));
    } else if (cite) { body[0].appendChild(cite); }
    return h("div", { cls: "note note--" + MARK_CLASS[a.mark] + " rp-mark " + teamCls[a.team] + "-edge", "data-mark": a.mark }, [
      h("span", { cls: "mark", title: D.marks[a.mark] || "", text: a.mark }), h("div", null, body)]);
  }

  function detailsNode(text) {
    return h("details", { cls: "rp-details small" }, [h("summary", { text: gettext("Details") }), h("p", { text: text })]);
  }

  // ---- timeline ------------------------------------------------------------------------------------
  var list = document.getElementById("rp-timeline");
  var items = [];
  (function build() {
    var frag = document.createDocumentFragment();
    frag.appendChild(h("li", { cls: "tl tl--phase rp-divider", "data-i": "0" }, [h("span", { text: "" }), h("span", { text: gettext("Start of the game") })]));
    var last = "";
    D.events.forEach(function (e, k) {
      var key = e.round + "/" + e.phase;
      if (key !== last) {
        last = key;
        frag.appendChild(h("li", { cls: "tl tl--phase rp-divider", "aria-hidden": "true" }, [h("span", { text: "R" + e.round }), h("span", { text: interpolate(gettext("Round %(index)s"), { index: e.round }, true) + " · " + (PHASES[e.phase] || e.phase) })]));
      }
      var marks = e.marks.map(ann);
      var cls = "tl rp-ev" + (e.private ? " tl--private" : "") + (e.type === "inject_pushed" ? " tl--inject" : "") + (e.team ? " " + teamCls[e.team] + "-edge" : "");
      var head = [h("strong", { text: e.who }), " "];
      if (e.team) head.push(h("span", { cls: "team-tag " + teamCls[e.team] + "-text", text: teamShort[e.team] }));
      if (e.private) head.push(h("span", { cls: "chip chip--private", text: interpolate(gettext("caucus · private to %(team)s"), { team: teamShort[e.team] || gettext("team") }, true) }));
      marks.forEach(function (a) { head.push(h("span", { cls: "mark rp-mark-chip note--" + MARK_CLASS[a.mark], text: a.mark, title: a.reason })); });
      var body = [h("p", { cls: "rp-ev-head" }, head), h("p", { text: e.text })];
      if (e.note) body.push(h("p", { cls: "tl__why rp-note" }, [h("em", { text: (e.actor === "facilitator" ? gettext("Pacer's reason:") : gettext("Bot's reason:")) + " " }), e.note]));
      if (e.details) body.push(detailsNode(e.details));
      if (marks.length) body.push(h("div", { cls: "rp-ev-marks" }, marks.map(function (a) { return markNode(a, false); })));
      var li = h("li", { cls: cls, "data-i": String(k + 1), tabindex: "-1" }, [
        h("button", { type: "button", cls: "rp-seq link-button", "aria-label": interpolate(gettext("Jump to event %(seq)s"), { seq: e.seq }, true), text: "#" + e.seq }),
        h("div", { cls: "tl__body" }, body)]);
      li.dataset.team = e.team || "";
      li.dataset.actor = e.actor;
      li.dataset.mistake = marks.some(function (a) { return MISTAKES[a.mark]; }) ? "1" : "";
      li.dataset.marked = marks.length ? "1" : "";
      li.dataset.markTeams = marks.map(function (a) { return a.team; }).join(" ");
      li.dataset.markSeats = marks.map(function (a) { return a.seat || ""; }).join(" ");
      items[k + 1] = li;
      frag.appendChild(li);
    });
    list.appendChild(frag);
    items[0] = list.firstChild;
    list.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) return;
      var li = ev.target.closest("li[data-i]");
      if (li) go(parseInt(li.dataset.i, 10), true);
    });
  })();

  function applyFilters() {
    var team = ctl("f-team").value, who = ctl("f-role").value;
    var mistakes = ctl("f-mistakes").checked, marked = ctl("f-marked").checked;
    for (var i = 1; i <= N; i++) {
      var d = items[i].dataset, show = true;
      if (team && d.team !== team && d.markTeams.split(" ").indexOf(team) < 0) show = false;
      if (who && d.actor !== who && d.markSeats.split(" ").indexOf(who) < 0) show = false;
      if (mistakes && !d.mistake) show = false;
      if (marked && !d.marked) show = false;
      items[i].hidden = !show;
    }
    var filtering = team || who || mistakes || marked;
    list.classList.toggle("rp-filtered", !!filtering);
  }
  ["f-team", "f-role", "f-mistakes", "f-marked"].forEach(function (n) { ctl(n).addEventListener("change", applyFilters); });

  // ---- the state panels ------------------------------------------------------------------------------
  function teamBox(tid, children) {
    return h("div", { cls: "rp-teambox " + teamCls[tid] + "-edge" }, [h("h4", { cls: teamCls[tid] + "-text", text: teamName[tid] })].concat(children));
  }

  function renderNow(p, s) {
    var box = $("#rp-now"); box.textContent = "";
    var e = p ? D.events[p - 1] : null;
    var status = s.st === "finished" ? (s.result && s.result.kind === "deal" ? gettext("Deal reached") : gettext("Game over: no deal")) : (s.st === "lobby" ? gettext("Lobby") : interpolate(gettext("Round %(index)s"), { index: s.r }, true) + " · " + (PHASES[s.ph] || s.ph));
    var meta = [h("span", { cls: "chip", text: status })];
    if (s.st !== "finished" && s.ph === "table") {
      meta.push(h("span", { cls: "chip", text: interpolate(gettext("exchanges %(used)s of %(limit)s"), { used: s.ex[0], limit: s.ex[1] }, true) }));
      if (s.fl) meta.push(h("span", { cls: "chip " + teamCls[s.fl] + "-text", text: interpolate(gettext("%(team)s has the floor"), { team: teamShort[s.fl] }, true) }));
    }
    box.appendChild(h("p", { cls: "rp-meta" }, meta));
    if (s.injects.length) box.appendChild(h("p", { cls: "small rp-news" }, [h("strong", { text: gettext("News so far:") + " " }),
      s.injects.map(function (i) { return D.injects[i] || i; }).join(" · ")]));
    if (!e) { box.appendChild(h("p", { cls: "muted", text: gettext("Before the first move. Press → or Forward to step through the game.") })); return; }
    box.appendChild(h("p", { cls: "rp-now-text" }, [h("strong", { text: "#" + e.seq + " " }), e.text]));
    if (e.private) box.appendChild(h("p", { cls: "small" }, [h("span", { cls: "chip chip--private", text: interpolate(gettext("Caucus: only %(team)s saw this during the game"), { team: teamName[e.team] }, true) })]));
    if (e.note) box.appendChild(h("p", { cls: "rp-note rp-note--big" }, [h("strong", { text: (e.actor === "facilitator" ? gettext("Pacer's reason:") : gettext("Bot's reason:")) + " " }), e.note]));
    if (e.details) box.appendChild(h("p", { cls: "rp-details small" }, [h("strong", { text: gettext("The figures behind it:") + " " }), e.details]));
    var here = e.marks.map(ann);
    var later = e.scored.map(ann).filter(function (a) { return a.seq !== e.seq; });
    if (here.length) { box.appendChild(h("h3", { cls: "rp-sub", text: gettext("How this move was scored") })); here.forEach(function (a) { box.appendChild(markNode(a, true)); }); }
    if (later.length) { box.appendChild(h("h3", { cls: "rp-sub", text: gettext("Judged now, about earlier moves") })); later.forEach(function (a) { box.appendChild(markNode(a, true)); }); }
    if (!here.length && !later.length) box.appendChild(h("p", { cls: "small muted", text: gettext("No score change at this event.") }));
  }

  function renderScores(p, s) {
    var sc = D.scores[s.sc], prev = D.scores[(p ? stateAt(p - 1) : s).sc], box = $("#rp-scores"); box.textContent = "";
    var wrap = h("div", { cls: "rp-two" });
    D.teams.forEach(function (t) {
      var v = sc.idx[t.id], d = Math.round((v - prev.idx[t.id]) * 10) / 10;
      var rows = Object.keys(sc.sub[t.id]).map(function (k) {
        var sv = sc.sub[t.id][k];
        return h("div", { cls: "rp-bar" }, [h("span", { cls: "rp-bar__k", text: (D.dimensions[k] || {}).short || k, title: (D.dimensions[k] || {}).title || k }),
          h("span", { cls: "rp-bar__track" }, [h("span", { cls: "rp-bar__fill " + t.cls + "-bg", style: "width:" + sv + "%" })]),
          h("span", { cls: "rp-bar__v", text: String(sv) })]);
      });
      var kids = [h("p", { cls: "rp-index" }, [h("span", { cls: "rp-index__n", text: String(v) }),  " " + gettext("alignment index"),
        d ? h("span", { cls: "chip " + (d > 0 ? "chip--good" : "chip--bad"), text: (d > 0 ? "+" : "") + d }) : null])];
      kids = kids.concat(rows);
      if (sc.pen[t.id]) kids.push(h("p", { cls: "small bad", text: interpolate(gettext("backpedal penalty −%(points)s"), { points: sc.pen[t.id] }, true) }));
      wrap.appendChild(teamBox(t.id, kids));
    });
    box.appendChild(wrap);
  }

  function renderOffers(s) {
    // One table, issue by issue, the two standing offers side by side (agreed issues shaded).
    var box = $("#rp-offers"); box.textContent = "";
    var agreed = {}; s.agreed.forEach(function (i) { agreed[i] = 1; });
    var offers = D.teams.map(function (t) { var oid = D.blocks[s.teams[t.id]].standing; return oid ? D.offers[oid] : null; });
    if (!offers[0] && !offers[1]) { box.appendChild(h("p", { cls: "muted", text: gettext("No offer on the table yet.") })); return; }
    var head = h("tr", null, [h("th", { text: gettext("Issue") })].concat(D.teams.map(function (t, k) {
      var o = offers[k];
      return h("th", { cls: t.cls + "-text" }, [t.short + " " + (o ? (s.offers[o.id] === "accepted" ? interpolate(gettext("offer %(offer)s (accepted)"), { offer: o.id }, true) : interpolate(gettext("offer %(offer)s"), { offer: o.id }, true)) : "— " + gettext("no offer")),
        o ? h("span", { cls: "small muted rp-by", text: " " + interpolate(gettext("by %(who)s, round %(round)s"), { who: role(o.by), round: o.round }, true) }) : null]);
    })));
    var rows = D.issues.map(function (is) {
      return h("tr", { cls: agreed[is.id] ? "agreed" : "" }, [h("th", { text: is.title })].concat(offers.map(function (o) {
        return h("td", { text: o ? optLabel(is, o.package[is.id]) : "" });
      })));
    });
    var total = h("tr", { cls: "rp-total" }, [h("th", { text: interpolate(gettext("Points (%(first)s sheet / %(second)s sheet)"), { first: D.teams[0].short, second: D.teams[1].short }, true) })].concat(offers.map(function (o) {
      return h("td", { text: o ? D.teams.map(function (u) { return o.pts[u.id]; }).join(" / ") : "" });
    })));
    box.appendChild(h("table", { cls: "rp-table rp-offer-table" }, [h("thead", null, [head]), h("tbody", null, rows.concat([total]))]));
    if (s.agreed.length) box.appendChild(h("p", { cls: "small muted", text: interpolate(ngettext("Shaded: the %(count)s issue on which both standing offers agree.", "Shaded: the %(count)s issues on which both standing offers agree.", s.agreed.length), { count: s.agreed.length }, true) }));
  }

  function renderMandates(s) {
    var box = $("#rp-mandates"); box.textContent = "";
    D.teams.forEach(function (t) {
      var m = D.blocks[s.teams[t.id]].mandate;
      if (!m) { box.appendChild(teamBox(t.id, [h("p", { cls: "muted", text: gettext("No mandate drafted yet.") })])); return; }
      var rows = D.issues.filter(function (is) { return m.issues[is.id]; }).map(function (is) {
        return h("tr", null, [h("th", { text: is.title }), h("td", { text: optLabel(is, m.issues[is.id][0]) }), h("td", { text: optLabel(is, m.issues[is.id][1]) })]);
      });
      var stances = Object.keys(D.roles).filter(function (r) { return D.roles[r].team === t.id; }).map(function (r) {
        var st = m.stances[r], cls = st ? (st[0] === "yes" ? "stance--yes" : "stance--no") : (r === m.by ? "stance--yes" : "stance--wait");
        var txt = st ? (st[0] === "yes" ? gettext("endorsed") : gettext("objected") + (st[1] ? ": " + st[1] : "")) : (r === m.by ? gettext("drafted it") : gettext("no word yet"));
        return h("li", null, [role(r) + " — ", h("span", { cls: "stance " + cls, text: txt })]);
      });
      box.appendChild(teamBox(t.id, [
        h("p", { cls: "small" }, [interpolate(gettext("Version %(version)s by %(who)s"), { version: m.v, who: role(m.by) }, true) + " · ", h("span", { cls: "chip " + (m.endorsed ? "chip--good" : "chip--warn"), text: m.endorsed ? gettext("endorsed by every role") : gettext("not endorsed by every role") })]),
        h("table", { cls: "rp-table" }, [h("thead", null, [h("tr", null, [h("th", { text: gettext("Issue") }), h("th", { text: gettext("Target") }), h("th", { text: gettext("Walk-away") })])]), h("tbody", null, rows)]),
        h("ul", { cls: "rp-stances" }, stances)]));
    });
  }

  var CARD_STATUS = { not_started: gettext("not started"), in_preparation: gettext("in preparation"), prepared: gettext("prepared"), committed: gettext("committed at the table") };
  function renderCards(s) {
    var box = $("#rp-cards"); box.textContent = "";
    D.teams.forEach(function (t) {
      var b = D.blocks[s.teams[t.id]];
      var lis = Object.keys(D.cards).filter(function (c) { return D.cards[c].team === t.id; }).map(function (c) {
        var st = b.cards[c] || ["not_started", false, []];
        return h("li", { cls: "card-item card-item--" + st[0] }, [h("strong", { text: D.cards[c].title }), " ",
          h("span", { cls: "status status--" + st[0], text: CARD_STATUS[st[0]] || st[0] }), st[1] ? h("span", { cls: "chip chip--good", text: gettext("shown") }) : null,
          st[2].length ? h("span", { cls: "small muted", text: " " + interpolate(gettext("signed by %(names)s"), { names: st[2].map(role).join(", ") }, true) }) : null]);
      });
      var extra = [h("p", { cls: "small muted", text: interpolate(gettext("Speaker level: %(level)s · escalations left: %(count)s"), { level: b.speaker || gettext("not chosen"), count: b.esc }, true) })];
      box.appendChild(teamBox(t.id, [h("ul", { cls: "cards rp-cards" }, lis)].concat(extra)));
    });
  }

  function renderCharts(p) {
    var seq = p ? D.events[p - 1].seq : 0;
    document.querySelectorAll(".rp-cursor").forEach(function (c) {
      var x0 = +c.dataset.x0, x1 = +c.dataset.x1, n = +c.dataset.n || 1;
      var x = x0 + (x1 - x0) * (p / n);
      c.setAttribute("x1", x); c.setAttribute("x2", x);
    });
    document.querySelectorAll(".rp-chart [data-seq]").forEach(function (m) { m.classList.toggle("rp-future", +m.dataset.seq > seq); });
  }

  function scrollList(li) {
    // Keep the current event in view inside the timeline only (never scroll the page under the reader).
    var top = li.offsetTop - list.offsetTop, bottom = top + li.offsetHeight;
    if (top < list.scrollTop + 30) list.scrollTop = Math.max(0, top - 30);
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }

  function go(p, focus) {
    p = Math.max(0, Math.min(N, p));
    var old = items[pos];
    if (old) { old.classList.remove("is-current"); old.removeAttribute("aria-current"); }
    pos = p;
    var s = stateAt(p), li = items[p];
    li.classList.add("is-current"); li.setAttribute("aria-current", "step");
    if (!li.hidden) scrollList(li);
    ctl("range").value = String(p);
    $("#rp-pos").textContent = p ? interpolate(gettext("Event %(pos)s of %(count)s · round %(round)s"), { pos: p, count: N, round: D.events[p - 1].round }, true) : interpolate(gettext("Start · %(count)s events"), { count: N }, true);
    renderNow(p, s); renderScores(p, s); renderOffers(s); renderMandates(s); renderCards(s); renderCharts(p);
    if (history.replaceState) history.replaceState(null, "", "#e" + p);
    document.dispatchEvent(new CustomEvent("replay:step", { detail: { step: p } }));
    if (focus) li.focus({ preventScroll: true });
  }

  function nextPos() {
    if (!ctl("moves-only").checked) return pos + 1;
    for (var i = pos + 1; i <= N; i++) if (D.events[i - 1].marks.length || D.events[i - 1].scored.length) return i;
    return N;
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    var b = ctl("play"); b.textContent = gettext("▶ Play"); b.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (timer) return stop();
    if (pos >= N) go(0);
    var b = ctl("play"); b.textContent = gettext("❚❚ Pause"); b.setAttribute("aria-pressed", "true");
    timer = setInterval(function () { if (pos >= N) return stop(); go(nextPos()); }, +ctl("speed").value);
  }
  ctl("first").addEventListener("click", function () { stop(); go(0); });
  ctl("prev").addEventListener("click", function () { stop(); go(pos - 1); });
  ctl("next").addEventListener("click", function () { stop(); go(nextPos()); });
  ctl("last").addEventListener("click", function () { stop(); go(N); });
  ctl("play").addEventListener("click", play);
  ctl("speed").addEventListener("change", function () { if (timer) { stop(); play(); } });
  ctl("range").addEventListener("input", function () { stop(); go(parseInt(this.value, 10)); });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (tag === "INPUT" && t.type !== "range" && t.type !== "checkbox" || tag === "SELECT" || tag === "TEXTAREA") return;
    if (ev.key === "ArrowRight") { stop(); go(nextPos()); ev.preventDefault(); }
    else if (ev.key === "ArrowLeft") { stop(); go(pos - 1); ev.preventDefault(); }
    else if (ev.key === "Home") { stop(); go(0); ev.preventDefault(); }
    else if (ev.key === "End") { stop(); go(N); ev.preventDefault(); }
    else if (ev.key === " " && tag !== "BUTTON") { play(); ev.preventDefault(); }
  });
  // A share link's field selects itself on click, ready to copy.
  document.querySelectorAll(".rp-share-url").forEach(function (field) {
    field.addEventListener("click", function () { field.select(); });
  });
  var m = /^#e(\d+)$/.exec(location.hash);
  go(m ? parseInt(m[1], 10) : 0);
  document.body.dataset.replayReady = "1";
})();
