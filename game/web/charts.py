"""Inline SVG charts, generated on the server (no chart library, no CDN).

Every mark has a shape and a text label as well as a colour, so nothing is said by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class Deal:
    label: str  # short, drawn next to the mark (e.g. "T3")
    title: str  # long, for the legend and the tooltip
    a: int  # points of the first team
    b: int  # points of the second team
    highlight: bool = False


def pareto_svg(
    *,
    team_names: tuple[str, str],
    frontier: Sequence[dict[str, int]],
    team_ids: tuple[str, str],
    batna: tuple[int, int],
    nash: tuple[int, int] | None,
    historical: tuple[int, int] | None,
    deals: Sequence[Deal],
    nash_points: Sequence[tuple[int, int]] = (),
    red_line_frontier: Sequence[dict[str, int]] = (),
    chart_id: str = "pareto",
    width: int = 640,
    height: int = 520,
) -> SafeString:
    left, right, top, bottom = 64, 24, 24, 60
    pw, ph = width - left - right, height - top - bottom

    def x(v: float) -> float:
        return round(left + pw * v / 100, 1)

    def y(v: float) -> float:
        return round(top + ph * (1 - v / 100), 1)

    ta, tb = (escape(n) for n in team_names)
    out: list[str] = []
    add = out.append
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    # The chart's words, in the reader's language (escaped: team names come from the case).
    label_title, label_zopa = escape(gettext("Deals over the Pareto frontier")), escape(gettext("both teams beat walking away"))
    label_axis_a, label_axis_b = (escape(gettext("%(team)s points") % {"team": n}) for n in team_names)
    label_frontier, label_frontier_dot = escape(gettext("Pareto frontier")), escape(gettext("Frontier"))
    label_redline, label_redline_dot = escape(gettext("inside every red line")), escape(gettext("Inside every red line"))
    label_historical, label_historical_dot = escape(gettext("Real 2025")), escape(gettext("Real 2025 outcome"))
    label_nash = escape(gettext("Nash point"))
    both = gettext("%(a)s and %(b)s")
    desc = gettext(
        "Points for %(first)s across, points for %(second)s up. The line is the Pareto frontier: "
        "no package is better for both teams than a point on it."
    ) % {"first": team_names[0], "second": team_names[1]}
    nashes = list(nash_points) or ([nash] if nash else [])
    if nashes:
        desc += " " + ngettext("Nash bargaining point: %(points)s.", "Nash bargaining points: %(points)s.", len(nashes)) % {
            "points": "; ".join(both % {"a": na, "b": nb} for na, nb in nashes)
        }
    if red_line_frontier:
        desc += " " + gettext("The dotted line is the frontier of the packages inside every role's red lines, what two "
                              "aligned teams can sign.")
    if historical:
        desc += " " + gettext("Real 2025 outcome: %(points)s.") % {"points": both % {"a": historical[0], "b": historical[1]}}
    for d in deals:
        desc += f" {d.title}: {both % {'a': d.a, 'b': d.b}}."
    add(
        f'<svg class="chart pareto" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    )
    add(f'<title id="{title_id}">{label_title}</title><desc id="{desc_id}">{escape(desc)}</desc>')
    # Zone where both teams beat walking away.
    add(
        f'<rect class="zopa" x="{x(batna[0])}" y="{y(100)}" width="{x(100) - x(batna[0])}" height="{y(batna[1]) - y(100)}"/>'
    )
    add(f'<text class="zopa-label" x="{x(100) - 6}" y="{y(100) + 16}" text-anchor="end">{label_zopa}</text>')
    # Grid and axes.
    for v in range(0, 101, 20):
        add(f'<line class="grid" x1="{x(v)}" y1="{y(0)}" x2="{x(v)}" y2="{y(100)}"/>')
        add(f'<line class="grid" x1="{x(0)}" y1="{y(v)}" x2="{x(100)}" y2="{y(v)}"/>')
        add(f'<text class="tick" x="{x(v)}" y="{y(0) + 20}" text-anchor="middle">{v}</text>')
        add(f'<text class="tick" x="{x(0) - 10}" y="{y(v) + 5}" text-anchor="end">{v}</text>')
    add(f'<line class="axis" x1="{x(0)}" y1="{y(0)}" x2="{x(100)}" y2="{y(0)}"/>')
    add(f'<line class="axis" x1="{x(0)}" y1="{y(0)}" x2="{x(0)}" y2="{y(100)}"/>')
    add(f'<text class="axis-label t0-text" x="{x(50)}" y="{height - 14}" text-anchor="middle">{label_axis_a} \u2192</text>')
    add(
        f'<text class="axis-label t1-text" transform="translate(18 {y(50)}) rotate(-90)" text-anchor="middle">{label_axis_b} \u2192</text>'
    )
    # BATNA lines.
    add(f'<line class="batna" x1="{x(batna[0])}" y1="{y(0)}" x2="{x(batna[0])}" y2="{y(100)}"/>')
    add(f'<line class="batna" x1="{x(0)}" y1="{y(batna[1])}" x2="{x(100)}" y2="{y(batna[1])}"/>')
    add(f'<text class="batna-label" x="{x(batna[0]) + 4}" y="{y(4)}">{ta} BATNA {batna[0]}</text>')
    add(f'<text class="batna-label" x="{x(1)}" y="{y(batna[1]) - 6}">{tb} BATNA {batna[1]}</text>')
    # Frontier.
    pts = sorted((p[team_ids[0]], p[team_ids[1]]) for p in frontier)
    if pts:
        path = " ".join(f"{x(a)},{y(b)}" for a, b in pts)
        add(f'<polyline class="frontier" points="{path}"/>')
        for a, b in pts:
            add(f'<circle class="frontier-dot" cx="{x(a)}" cy="{y(b)}" r="2.5"><title>{label_frontier_dot}: {a}, {b}</title></circle>')
        fa, fb = pts[len(pts) // 3]
        add(f'<text class="frontier-label" x="{x(fa) + 8}" y="{y(fb) - 8}">{label_frontier}</text>')
    kept = sorted((p[team_ids[0]], p[team_ids[1]]) for p in red_line_frontier)
    if kept:
        add(f'<polyline class="frontier-redline" points="{" ".join(f"{x(a)},{y(b)}" for a, b in kept)}"/>')
        for a, b in kept:
            add(f'<rect class="redline-dot" x="{x(a) - 3}" y="{y(b) - 3}" width="6" height="6"><title>{label_redline_dot}: {a}, {b}</title></rect>')
        ka, kb = kept[0]
        add(f'<text class="redline-label" x="{x(ka) - 8}" y="{y(kb) + 22}" text-anchor="end">{label_redline}</text>')
    # Historical outcome: a square.
    if historical:
        ha, hb = historical
        add(
            f'<rect class="mark-historical" x="{x(ha) - 7}" y="{y(hb) - 7}" width="14" height="14">'
            f"<title>{label_historical_dot}: {ha}, {hb}</title></rect>"
        )
        add(f'<text class="mark-label" x="{x(ha) + 11}" y="{y(hb) + 18}">{label_historical} ({ha}, {hb})</text>')
    # Nash points: diamonds.
    for i, (na, nb) in enumerate(nashes):
        cx, cy = x(na), y(nb)
        add(
            f'<polygon class="mark-nash" points="{cx},{cy - 10} {cx + 10},{cy} {cx},{cy + 10} {cx - 10},{cy}">'
            f"<title>{label_nash}: {na}, {nb}</title></polygon>"
        )
        if i == 0:  # one short label: the points are in the legend and the description
            label = f"Nash ({na}, {nb})" if len(nashes) == 1 else f"Nash \u00d7{len(nashes)}"
            add(f'<text class="mark-label" x="{cx + 13}" y="{cy - 10}">{label}</text>')
    # Deals: circles with their label.
    for d in deals:
        cls = "mark-deal highlight" if d.highlight else "mark-deal"
        add(
            f'<g class="{cls}"><circle cx="{x(d.a)}" cy="{y(d.b)}" r="{11 if d.highlight else 9}">'
            f"<title>{escape(d.title)}: {d.a}, {d.b}</title></circle>"
            f'<text x="{x(d.a)}" y="{y(d.b) + 4}" text-anchor="middle">{escape(d.label)}</text></g>'
        )
    add("</svg>")
    return mark_safe("".join(out))
