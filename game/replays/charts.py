"""Inline SVG charts of a replay document (no I/O, no CDN, no script needed to read them), labelled in
the active language.

Every mark that belongs to a moment of the game carries `data-seq`, so static/js/replay.js can fade
what has not happened yet and move the cursor (`.rp-cursor`) to the event on screen.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.utils.translation import gettext

W, H = 640, 280
L, R, T, B = 44, 16, 14, 34  # margins


def _x_of(n: int):
    span = max(n, 1)
    return lambda seq: L + (W - L - R) * (seq / span)


def _y(v: float) -> float:
    return T + (H - T - B) * (1 - v / 100)


def _axes(x_label: str, y_label: str, n: int) -> list[str]:
    parts = [f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" class="rp-plot"/>']
    for v in (0, 25, 50, 75, 100):
        y = _y(v)
        parts.append(f'<line x1="{L}" x2="{W - R}" y1="{y:.1f}" y2="{y:.1f}" class="rp-grid"/>')
        parts.append(f'<text x="{L - 6}" y="{y + 4:.1f}" class="rp-tick" text-anchor="end">{v}</text>')
    parts.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 4}" class="rp-axis" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{(T + H - B) / 2:.0f}" class="rp-axis" text-anchor="middle" transform="rotate(-90 12 {(T + H - B) / 2:.0f})">{escape(y_label)}</text>')
    return parts


def _round_ticks(doc: dict[str, Any], x) -> list[str]:
    parts, last = [], None
    for e in doc["events"]:
        if e["type"] == "phase_started" and e["round"] != last:
            last = e["round"]
            xv = x(e["seq"])
            parts.append(f'<line x1="{xv:.1f}" x2="{xv:.1f}" y1="{T}" y2="{H - B}" class="rp-round"/>')
            parts.append(f'<text x="{xv + 3:.1f}" y="{H - B + 13}" class="rp-tick">R{e["round"]}</text>')
    return parts


def _cursor(x0: float, x1: float, n: int) -> str:
    return (f'<line class="rp-cursor" x1="{x0}" x2="{x0}" y1="{T}" y2="{H - B}" '
            f'data-x0="{x0}" data-x1="{x1}" data-n="{n}"/>')


def _svg(chart_id: str, title: str, desc: str, parts: list[str]) -> str:
    return (f'<svg id="{chart_id}" class="rp-chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
            + "".join(parts) + "</svg>")


BACKPEDAL_OFFER_RULES = {"backpedal.worse_offer", "backpedal.reopened", "backpedal.contradiction", "backpedal.objector_offer"}


def concession_svg(doc: dict[str, Any]) -> str:
    """Each team's offers over time, on both sheets: its own points (solid) and the other team's (dashed).

    A team conceding shows as its solid line falling while its dashed line rises; a backpedal is a
    cross on the offer that earned it.
    """
    n = len(doc["events"])
    x = _x_of(n)
    teams = [t["id"] for t in doc["teams"]]
    cls = {t["id"]: t["cls"] for t in doc["teams"]}
    backpedals = {a["seq"] for a in doc["annotations"] if a["rule"] in BACKPEDAL_OFFER_RULES}
    parts = _axes(gettext("event (time →)"), gettext("points"), n) + _round_ticks(doc, x)
    offers = sorted(doc["offers"].values(), key=lambda o: o["seq"])
    took_back = gettext("Backpedal: offer %(offer)s took something back")
    for team in teams:
        mine = [o for o in offers if o["team"] == team]
        for sheet in teams:
            dash = "" if sheet == team else " rp-line--other"
            pts = " ".join(f'{x(o["seq"]):.1f},{_y(o["pts"][sheet]):.1f}' for o in mine)
            if len(mine) > 1:
                parts.append(f'<polyline points="{pts}" class="rp-line {cls[team]}-stroke{dash}"/>')
            for o in mine:
                label = gettext("%(who)s: offer %(offer)s, %(points)s points on the %(sheet)s sheet") % {
                    "who": doc["roles"].get(o["by"], {}).get("title", o["by"]), "offer": o["id"], "points": o["pts"][sheet],
                    "sheet": sheet.upper()}
                shape = "rp-dot" if sheet == team else "rp-dot rp-dot--hollow"
                parts.append(f'<circle cx="{x(o["seq"]):.1f}" cy="{_y(o["pts"][sheet]):.1f}" r="3.5" '
                             f'class="{shape} {cls[team]}-fill" data-seq="{o["seq"]}"><title>{escape(label)}</title></circle>')
        for o in mine:
            if o["seq"] in backpedals:
                cx, cy = x(o["seq"]), _y(o["pts"][teams[1] if team == teams[0] else teams[0]])
                parts.append(f'<path d="M{cx - 6:.1f},{cy - 6:.1f}L{cx + 6:.1f},{cy + 6:.1f}M{cx - 6:.1f},{cy + 6:.1f}L{cx + 6:.1f},{cy - 6:.1f}" '
                             f'class="rp-backpedal" data-seq="{o["seq"]}"><title>{escape(took_back % {"offer": o["id"]})}</title></path>')
    parts.append(_cursor(L, W - R, n))
    return _svg("chart-concessions", gettext("Concession curves"),
                gettext("Each team's offers over time: points on its own sheet (solid line, filled dots) and on the other team's "
                        "sheet (dashed line, hollow dots). Crosses mark backpedals."), parts)


def index_svg(doc: dict[str, Any]) -> str:
    """The alignment index of each team after every event (a step line)."""
    n = len(doc["events"])
    x = _x_of(n)
    parts = _axes(gettext("event (time →)"), gettext("alignment index"), n) + _round_ticks(doc, x)
    ends = []
    for t in doc["teams"]:
        tid = t["id"]
        scores = doc["scores"]
        prev = scores[doc["initial"]["sc"]]["idx"][tid]
        pts = [f'{x(0):.1f},{_y(prev):.1f}']
        for i, s in enumerate(doc["states"], start=1):
            v = scores[s["sc"]]["idx"][tid]
            if v != prev:
                pts.append(f'{x(i):.1f},{_y(prev):.1f}')
                pts.append(f'{x(i):.1f},{_y(v):.1f}')
                prev = v
        pts.append(f'{x(n):.1f},{_y(prev):.1f}')
        parts.append(f'<polyline points="{" ".join(pts)}" class="rp-line {t["cls"]}-stroke"><title>{escape(gettext("%(team)s: alignment index") % {"team": t["name"]})}</title></polyline>')
        ends.append((prev, t))
    # End labels, kept apart when the two lines finish close together.
    ends.sort(key=lambda item: -item[0])
    last_y = None
    for value, t in ends:
        y = _y(value) - 5
        if last_y is not None and y - last_y < 13:
            y = last_y + 13
        last_y = y
        parts.append(f'<text x="{W - R - 4}" y="{y:.1f}" class="rp-label {t["cls"]}-text" text-anchor="end">{escape(t["short"])} {value:g}</text>')
    parts.append(_cursor(L, W - R, n))
    return _svg("chart-index", gettext("Alignment index over time"),
                gettext("Each team's Organisational Alignment Index (0 to 100) after every event."), parts)


def pareto_svg(doc: dict[str, Any]) -> str:
    """The final deal against the Pareto frontier, with the Nash point, the historical outcome, the
    BATNAs and every offer exchanged."""
    a_team, b_team = doc["teams"]
    a, b = a_team["id"], b_team["id"]
    size = 320
    pl, pr, pt, pb = 40, 12, 12, 34

    def px(v: float) -> float:
        return pl + (size - pl - pr) * v / 100

    def py(v: float) -> float:
        return pt + (size - pt - pb) * (1 - v / 100)

    team_points = gettext("%(team)s points")
    parts = [f'<rect x="{pl}" y="{pt}" width="{size - pl - pr}" height="{size - pt - pb}" class="rp-plot"/>']
    for v in (0, 50, 100):
        parts.append(f'<text x="{px(v):.1f}" y="{size - pb + 13}" class="rp-tick" text-anchor="middle">{v}</text>')
        parts.append(f'<text x="{pl - 5}" y="{py(v) + 4:.1f}" class="rp-tick" text-anchor="end">{v}</text>')
    parts.append(f'<text x="{(pl + size - pr) / 2:.0f}" y="{size - 4}" class="rp-axis" text-anchor="middle">{escape(team_points % {"team": a_team["short"]})}</text>')
    parts.append(f'<text x="11" y="{(pt + size - pb) / 2:.0f}" class="rp-axis" text-anchor="middle" transform="rotate(-90 11 {(pt + size - pb) / 2:.0f})">{escape(team_points % {"team": b_team["short"]})}</text>')
    # BATNAs: the zone of possible agreement is up and to the right of both lines.
    parts.append(f'<line x1="{px(a_team["batna"]):.1f}" x2="{px(a_team["batna"]):.1f}" y1="{pt}" y2="{size - pb}" class="rp-batna"><title>{escape(a_team["short"])} BATNA {a_team["batna"]}</title></line>')
    parts.append(f'<line x1="{pl}" x2="{size - pr}" y1="{py(b_team["batna"]):.1f}" y2="{py(b_team["batna"]):.1f}" class="rp-batna"><title>{escape(b_team["short"])} BATNA {b_team["batna"]}</title></line>')
    frontier = sorted(doc["final"]["frontier"], key=lambda p: p[a])
    if frontier:
        stairs = []
        for i, p in enumerate(frontier):
            if i:
                stairs.append(f'{px(p[a]):.1f},{py(frontier[i - 1][b]):.1f}')
            stairs.append(f'{px(p[a]):.1f},{py(p[b]):.1f}')
        parts.append(f'<polyline points="{" ".join(stairs)}" class="rp-frontier"><title>{escape(gettext("Pareto frontier"))}</title></polyline>')
    # What two aligned teams can reach: the frontier of the packages inside every role's red lines.
    kept = sorted(doc["final"].get("red_line_frontier") or [], key=lambda p: p[a])
    if kept:
        line = " ".join(f'{px(p[a]):.1f},{py(p[b]):.1f}' for p in kept)
        parts.append(f'<polyline points="{line}" class="rp-frontier-redline"><title>{escape(gettext("Frontier inside every red line"))}</title></polyline>')
        for p in kept:
            parts.append(f'<rect x="{px(p[a]) - 2.5:.1f}" y="{py(p[b]) - 2.5:.1f}" width="5" height="5" class="rp-redline-dot">'
                         f'<title>{escape(gettext("Inside every red line: %(a)s / %(b)s") % {"a": p[a], "b": p[b]})}</title></rect>')
    for o in sorted(doc["offers"].values(), key=lambda o: o["seq"]):
        cls = a_team["cls"] if o["team"] == a else b_team["cls"]
        parts.append(f'<circle cx="{px(o["pts"][a]):.1f}" cy="{py(o["pts"][b]):.1f}" r="3" class="rp-dot rp-dot--offer {cls}-fill" data-seq="{o["seq"]}">'
                     f'<title>{escape(gettext("Offer %(offer)s (%(team)s): %(a)s / %(b)s") % {"offer": o["id"], "team": o["team"].upper(), "a": o["pts"][a], "b": o["pts"][b]})}</title></circle>')
    for nash in doc["final"].get("nash_points") or ([doc["final"]["nash"]] if doc["final"]["nash"] else []):
        parts.append(f'<rect x="{px(nash[a]) - 5:.1f}" y="{py(nash[b]) - 5:.1f}" width="10" height="10" class="rp-nash" transform="rotate(45 {px(nash[a]):.1f} {py(nash[b]):.1f})"><title>{escape(gettext("Nash point: %(a)s / %(b)s") % {"a": nash[a], "b": nash[b]})}</title></rect>')
    hist = doc["final"]["historical"]
    if hist:
        hp = hist["points"]
        parts.append(f'<path d="M{px(hp[a]):.1f},{py(hp[b]) - 7:.1f}l6,11h-12z" class="rp-hist"><title>{escape(doc["final"]["historical_label"] or gettext("Historical outcome"))}: {hp[a]} / {hp[b]}</title></path>')
    deal = doc["final"]["deal"]
    if deal:
        dp = deal["points"]
        parts.append(f'<circle cx="{px(dp[a]):.1f}" cy="{py(dp[b]):.1f}" r="7" class="rp-deal" data-seq="{doc["final"]["version"]}"><title>{escape(gettext("The deal: %(a)s / %(b)s") % {"a": dp[a], "b": dp[b]})}</title></circle>')
    desc = gettext(
        "%(a)s points across, %(b)s points up. The stepped line is the Pareto frontier; the dotted line with small squares "
        "the frontier inside every role's red lines (what two aligned teams can sign); the diamonds the Nash points; the "
        "triangle the historical outcome; the ring the deal; dots the offers exchanged; dashed lines the BATNAs."
    ) % {"a": a_team["short"], "b": b_team["short"]}
    return (f'<svg id="chart-pareto" class="rp-chart rp-chart--square" viewBox="0 0 {size} {size}" role="img" aria-labelledby="chart-pareto-t chart-pareto-d">'
            f'<title id="chart-pareto-t">{escape(gettext("The deal against the Pareto frontier"))}</title>'
            f'<desc id="chart-pareto-d">{escape(desc)}</desc>' + "".join(parts) + "</svg>")


def charts(doc: dict[str, Any]) -> dict[str, str]:
    return {"concessions": concession_svg(doc), "index": index_svg(doc), "pareto": pareto_svg(doc)}
