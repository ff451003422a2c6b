"""What every page must be at both sizes a trainee uses: nothing sideways off the screen, header controls
that do not sit on each other, the table page's role title in view, and no WCAG 2.1 A/AA violation that
axe-core finds. Each check saves a screenshot of what it looked at."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"laptop": LAPTOP, "phone": PHONE}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = None

# The controls of a page's header (the site header, or the table page's status bar), each with its box.
HEADER_BOXES = """() => {
  const header = document.querySelector('header.statusbar, header.site-header');
  if (!header) return [];
  const items = header.querySelectorAll('a, button, .team-tag, .statusbar__role, .statusbar__round, .phase-steps, .meter, .conn');
  return Array.from(items).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  }).map(el => { const r = el.getBoundingClientRect();
    return {name: (el.id || el.className || el.tagName) + ': ' + el.textContent.trim().slice(0, 30),
            x: r.left, y: r.top, w: r.width, h: r.height, el}; })
    .filter((b, i, all) => !all.some((o, j) => j !== i && o.el !== b.el && o.el.contains(b.el)))
    .map(({el, ...b}) => b);
}"""

OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= doc.clientWidth + 1) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return false;
    }
    return true;
  }).slice(0, 5).map(el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className + ' right=' + Math.round(el.getBoundingClientRect().right));
  return {scroll: doc.scrollWidth, view: doc.clientWidth, wide};
}"""


# Descriptions and labels that point at ids the page does not have.
MISSING_IDS = """() => Array.from(document.querySelectorAll('[aria-describedby], [aria-labelledby]')).flatMap(el =>
  ['aria-describedby', 'aria-labelledby'].flatMap(attr => (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
    .filter(id => !document.getElementById(id))
    .map(id => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${attr} points at a missing #${id}`)))"""


def _overlaps(boxes: list[dict]) -> list[str]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > 1 and dy > 1:
                found.append(f"{a['name']!r} overlaps {b['name']!r}")
    return found


def axe_violations(page: Page) -> list[str]:
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    # axe-core is injected once per document (a page checked at both sizes keeps it), and only the
    # violations come back to Python.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    # label-content-name-mismatch (WCAG 2.5.3) is an experimental axe rule: off unless asked for.
    options = {"runOnly": {"type": "tag", "values": WCAG}, "rules": {"label-content-name-mismatch": {"enabled": True}},
               "resultTypes": ["violations"]}
    violations = page.evaluate("options => axe.run(document, options).then(results => results.violations)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:4])
        for v in violations
    ]


# Directions that name a place in the laptop layout: on a phone the columns stack, so a hint must name
# the section instead.
LAYOUT_WORDS = re.compile(r"\b(?:centre|center|left|right|middle) column\b|\((?:left|right|centre)\)|\btop (?:right|left)\b", re.I)


def check_page(page: Page, name: str, screenshots: Path, *, role_title: bool = False) -> list[str]:
    """Check the page as it is now at both sizes: every problem found, by size (none when it is right)."""
    problems: list[str] = []
    original = page.viewport_size
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        wide = page.evaluate(OVERFLOW)
        if wide["scroll"] > wide["view"]:
            problems.append(f"{size}: the page is {wide['scroll']} px wide in a {wide['view']} px viewport: {wide['wide']}")
        problems += [f"{size}: {o}" for o in _overlaps(page.evaluate(HEADER_BOXES))]
        if role_title:
            title = page.locator(".statusbar__role strong")
            if not title.is_visible() or title.bounding_box()["width"] < 20:
                problems.append(f"{size}: the role title is not visible in the header")
            # What stays on screen while scrolling (the status bar, and the section tabs under it on a
            # phone) leaves most of the screen to the page.
            sticky = page.evaluate("""() => ['#statusbar', '.section-tabs'].map(s => document.querySelector(s))
                .filter(el => el && getComputedStyle(el).display !== 'none' && getComputedStyle(el).position === 'sticky')
                .reduce((sum, el) => sum + el.getBoundingClientRect().height, 0)""")
            if sticky > viewport["height"] * 0.3:
                problems.append(f"{size}: the sticky header takes {sticky:.0f} of {viewport['height']} px")
        problems += [f"{size}: axe {v}" for v in axe_violations(page)]
        problems += [f"{size}: {m}" for m in page.evaluate(MISSING_IDS)]
        problems += [f"{size}: a hint names a place in the layout: {m.group(0)!r}" for m in LAYOUT_WORDS.finditer(page.inner_text("body"))]
        page.screenshot(path=str(screenshots / f"{name}-{size}.png"))
    page.set_viewport_size(original)
    return [f"{name} {p}" for p in problems]


class Audit:
    """Checks page after page along one path and fails at the end with everything found on all of them."""

    def __init__(self, screenshots: Path):
        self.screenshots = screenshots
        self.problems: list[str] = []
        self.names: list[str] = []

    def __call__(self, page: Page, name: str, *, role_title: bool = False) -> None:
        self.names.append(name)
        self.problems += check_page(page, name, self.screenshots, role_title=role_title)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)
