"""Page views: thin. Writes go through game.services, reads through game.selectors (and game.web.queries)."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from game import access, clients, seat_cookies, selectors, services
from game.bots import persona_quiz
from game.bots.drill import drill as drill_positions
from game.engine import FACILITATOR, PHASE_TITLES, MoveError
from game.models import Match
from game.scenario import Scenario
from game.services import ServiceError
from game.throttle import throttled
from game.web import debrief as D
from game.web.citations import citation_view
from game.web import moves, notes, qr, queries
from game.web import seeds as seed_docs
from game.web.describe import words
from game.web.epilogue import epilogue_rows
from game.web.forms import HIDDEN, JoinForm, PracticeForm, WorkshopForm
from game.web.labels import CARD_KINDS, DIFFICULTY_TITLES, LEVEL_TITLES
from game.web.shortcuts import SHORTCUTS
from game.web.said import said
from game.web.text import say

DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


def _default_scenario() -> tuple[Any, Scenario] | None:
    records = queries.scenario_records()
    if not records:
        return None
    return records[0], selectors.scenario_of(records[0])


def _scenario_by_id(scenario_id: str | None):
    for record in queries.scenario_records():
        if scenario_id is None or record.scenario_id == scenario_id:
            return record, selectors.scenario_of(record)
    return None


def _teams(scenario: Scenario) -> list[dict[str, Any]]:
    return said([{"id": t.id, "name": t.name, "short": t.short, "cls": D.team_class(scenario, t.id)} for t in scenario.teams])


# --- landing -----------------------------------------------------------------------------------
def landing(request: HttpRequest) -> HttpResponse:
    found = _default_scenario()
    return render(request, "web/landing.html", {"scenario": found[1] if found else None})


# --- practice ----------------------------------------------------------------------------------
def _practice_choices(scenario: Scenario) -> list[dict[str, Any]]:
    """Per team: its roles (with their one-line summary) and the other team's bot personas by difficulty."""
    out = []
    for team in scenario.teams:
        other = scenario.other_team(team.id)
        personas = sorted(scenario.personas_for(other), key=lambda p: (DIFFICULTY_ORDER.get(p.difficulty, 9), p.id))
        roles = scenario.roles_of(team.id)
        default_role = next((r.id for r in roles if r.level == "minister"), roles[0].id)
        default_persona = next((p.id for p in personas if p.difficulty == "medium"), personas[0].id)
        out.append(said({
            "id": team.id, "name": team.name, "cls": D.team_class(scenario, team.id), "batna_label": team.batna_label,
            "other_name": scenario.team(other).name, "other_cls": D.team_class(scenario, other),
            "roles": [{"id": r.id, "title": r.title, "level": LEVEL_TITLES[r.level], "summary": r.summary, "counterpart": r.counterpart} for r in roles],
            "personas": [{"id": p.id, "name": p.name, "difficulty": p.difficulty, "difficulty_title": DIFFICULTY_TITLES[p.difficulty],
                          "description": p.description} for p in personas],
            "default_role": default_role, "default_persona": default_persona,
        }))
    return out


@require_http_methods(["GET", "POST"])
@throttled("practice_create", per_client="practice_create_client", methods=("POST",))
def practice(request: HttpRequest) -> HttpResponse:
    found = _scenario_by_id(request.POST.get("scenario") or request.GET.get("scenario"))
    if found is None:
        return render(request, "web/no_scenario.html", status=503)
    record, scenario = found
    teams = _practice_choices(scenario)
    # Vietnam by default: the RED BEAR case is told from Hanoi's side; the head of its negotiating team.
    default_team = next((t for t in teams if t["id"] == "vn"), teams[-1])
    error = None
    chosen = {
        "team": request.POST.get("team") or default_team["id"],
        "role_id": request.POST.get("role_id") or default_team["default_role"],
        "persona": request.POST.get("persona") or default_team["default_persona"],
        "display_name": request.POST.get("display_name", ""),
        "epilogue": request.POST.get("epilogue") == "on",
    }
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            team = data["team"]
            try:
                if team not in scenario.team_ids():
                    raise ServiceError("practice/bad_team", gettext("Choose the United States or Vietnam."))
                other = scenario.other_team(team)
                hidden = data["persona"] == HIDDEN
                persona_id = secrets.choice([p.id for p in scenario.personas_for(other)]) if hidden else data["persona"]
                match, token = services.practice_create(
                    scenario_record=record, team=team, role_id=data["role_id"], personas={other: persona_id},
                    seed=secrets.randbelow(2**31), display_name=data["display_name"] or gettext("Trainee"),
                    epilogue=data["epilogue"],
                )
                # The trainee paces a practice game: start it now, so the next page opens on round 0's briefing.
                moves.submit(match_id=match.pk, seat=data["role_id"], move={"kind": "start"})
            except ServiceError as exc:
                error = exc.message
            except MoveError as exc:  # pragma: no cover - a fresh match always starts
                error = say(exc.message)
            else:
                request.session[f"practice:{match.pk}"] = {"hidden": hidden}
                response = seat_cookies.remember(redirect("web:table", public_id=match.public_id), match.pk, token)
                return clients.remember(response, clients.client_of(request))
        else:
            error = gettext("Choose a team, a role and an opponent.")
    cases = [{"id": r.scenario_id, "title": say(selectors.scenario_of(r).title)} for r in queries.scenario_records()]
    return render(request, "web/practice.html", {
        "scenario": scenario, "record": record, "teams": teams, "chosen": chosen, "error": error, "cases": cases,
        "hidden_value": HIDDEN, "status": 400 if error else 200,
    }, status=400 if error else 200)


# --- join and lobby ------------------------------------------------------------------------------
def join_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")
    try:
        code = services.workshop_code_normalize(code)
    except ServiceError as exc:
        return render(request, "web/join_code.html", {"error": exc.message, "code": code}, status=400 if code else 200)
    return redirect("web:join", code=code)


def _seat_table(workshop, scenario: Scenario) -> list[dict[str, Any]]:
    """Tables -> teams -> seats (free or who holds them), for the join page."""
    tables: dict[int, dict[str, Any]] = {}
    for s in selectors.workshop_seats(workshop):
        table = tables.setdefault(s["table"], {"no": s["table"], "teams": {t.id: [] for t in scenario.teams}})
        table["teams"][s["team"]].append(said({**s, "level_title": LEVEL_TITLES.get(s["level"], s["level"]),
                                               "summary": scenario.role(s["role_id"]).summary}))
    out = []
    for no in sorted(tables):
        t = tables[no]
        seated = any(not s["free"] for seats_ in t["teams"].values() for s in seats_)
        out.append({"no": no, "open": len(tables) <= 2 or seated, "teams": [
            {"id": team.id, "name": say(team.name), "cls": D.team_class(scenario, team.id), "seats": t["teams"][team.id],
             "free": sum(1 for s in t["teams"][team.id] if s["free"])}
            for team in scenario.teams
        ]})
    return out


@require_http_methods(["GET", "POST"])
@throttled("join_lookup", methods=("GET",))
@throttled("seat_claim", per_client="seat_claim_client", methods=("POST",))
def join(request: HttpRequest, code: str) -> HttpResponse:
    try:
        workshop = services.workshop_for_join(code=code)
    except ServiceError as exc:
        return render(request, "web/join_code.html", {"error": exc.message, "code": code}, status=exc.status)
    scenario = selectors.scenario_of(workshop.scenario)
    held, held_token = access.workshop_seat(request, workshop)
    client = clients.client_of(request)
    form = JoinForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data.get("seat") or "auto"
        table_no = role_id = None
        if raw != "auto":
            try:
                table_part, role_id = raw.split(":", 1)
                table_no = int(table_part)
            except ValueError:
                role_id, table_no = None, None
        try:
            # A browser that already holds a seat here gets it back (never a second one).
            grant = services.seat_claim(
                workshop=workshop, display_name=form.cleaned_data["display_name"], table_no=table_no, role_id=role_id,
                token=held_token, client_hash=client.client_hash, network_hash=client.network_hash,
            )
        except ServiceError as exc:
            error = exc.message
        else:
            from game.realtime.fanout import notify_seats_changed  # noqa: PLC0415 (the lobby sees who arrived)

            if not grant.resumed:
                notify_seats_changed([grant.seat.match_id])
            response = seat_cookies.remember(
                redirect("web:table", public_id=grant.seat.match.public_id), grant.seat.match_id, grant.token or held_token
            )
            return clients.remember(response, client)
    elif request.method == "POST":
        error = gettext("Enter your name (1 to 40 characters).")
    response = render(request, "web/join.html", {
        "workshop": workshop, "scenario": scenario, "tables": _seat_table(workshop, scenario), "form": form,
        "error": error, "held": held, "held_title": say(scenario.role(held.role_id).title) if held else None,
        "held_team": say(scenario.team(held.team).name) if held else None,
    }, status=400 if error else 200)
    return clients.remember(response, client)  # the browser's id is set before it claims a seat


# --- the table -----------------------------------------------------------------------------------
def _ws_path(public_id: str) -> str:
    return f"/ws/match/{public_id}/"


def _dimension_info() -> list[dict[str, Any]]:
    return notes.dimensions()


def _table_label(match: Match) -> str:
    """A workshop table's name in the reader's language ("Table 2"); a practice game's own label."""
    return gettext("Table %(no)s") % {"no": match.table_no} if match.table_no else match.label


def _round_context(scenario: Scenario, index: int) -> dict[str, Any]:
    rnd = scenario.rounds[min(index, len(scenario.rounds) - 1)]
    return said({
        "index": rnd.index, "title": rnd.title, "date": rnd.date, "place": rnd.place, "briefing": rnd.briefing,
        "citations": [citation_view(scenario, c) for c in rnd.citations],
        "agenda": [scenario.issue(i).title for i in rnd.agenda],
        "last": len(scenario.rounds) - 1,
    })


def table(request: HttpRequest, public_id: str) -> HttpResponse:
    match = queries.match_get(public_id)
    if match is None:
        raise Http404("no such table")
    seat, token = access.seat_and_secret(request, match)
    if seat is None:
        # Never a redirect to the workshop's join page: that would hand its code to anyone with the URL.
        return render(request, "web/no_seat.html", {"match": match}, status=403)
    scenario = selectors.scenario_of(match.scenario)
    view = queries.seat_view(match.pk, seat.role_id, now=time.time())
    role = said(view["roles"][seat.role_id])
    practice_mode = match.mode == Match.Mode.PRACTICE
    config = {
        "mode": "seat", "match": match.pk, "seat": seat.role_id, "team": seat.team,
        "ws_path": _ws_path(match.public_id), "practice": practice_mode, "display_name": seat.display_name,
        "label": _table_label(match), "workshop": match.workshop.code if match.workshop_id else None,
        "teams": _teams(scenario), "dimensions": _dimension_info(),
        "marks": notes.mark_words(), "rules": notes.rule_titles(),
        "debrief_url": reverse("web:debrief", kwargs={"public_id": match.public_id}),
        "scenario": selectors.scenario_for(scenario, seat.team, language=get_language()),
        "words": words(),
        "card_kinds": {kind: str(title) for kind, title in CARD_KINDS.items()},
        "seeds_url": "/seeds/",
    }
    response = render(request, "web/table.html", {
        "match": match, "scenario": scenario, "seat": seat, "role": role, "config": config,
        "team": scenario.team(seat.team), "team_cls": D.team_class(scenario, seat.team),
        "round": _round_context(scenario, view["round"]), "view": view, "practice": practice_mode,
        "points_rows": _points_rows(scenario, view.get("points_sheet") or {}),
        "role_priorities": _priorities(scenario, role.get("priorities") or {}),
        "red_lines": _red_lines(scenario, role.get("red_lines") or []),
        "owned": [scenario.deliverable(d) for d in role.get("owns") or []],
        "role_citations": [citation_view(scenario, c) for c in role.get("citations") or []],
        "level_title": LEVEL_TITLES.get(role["level"], role["level"]),
        "shortcuts": SHORTCUTS["table"],
    })
    return seat_cookies.remember(response, match.pk, token)  # the table's socket reads this table's cookie


def _points_rows(scenario: Scenario, sheet: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    rows = []
    for issue in scenario.issues:
        points = sheet.get(issue.id, {})
        best = max(points.values()) if points else 0
        rows.append({"title": issue.title, "options": [
            {"label": o.label, "points": points.get(o.id), "best": points.get(o.id) == best} for o in issue.options
        ]})
    return said(rows)


def _priorities(scenario: Scenario, priorities: dict[str, int]) -> list[dict[str, Any]]:
    return sorted(
        ({"title": say(scenario.issue(i).title), "value": v, "dots": range(v), "empty": range(5 - v)} for i, v in priorities.items()),
        key=lambda x: -x["value"],
    )


def _red_lines(scenario: Scenario, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        issue = scenario.issue(line["issue"])
        label = next((o.label for o in issue.options if o.id == line["worst_acceptable"]), line["worst_acceptable"])
        out.append({"issue": issue.title, "worst": label, "reason": line["reason"], "cite": citation_view(scenario, line["citation"])})
    return said(out)


# --- seeds ---------------------------------------------------------------------------------------
def seed(request: HttpRequest, seed_id: str) -> HttpResponse:
    doc = seed_docs.load(seed_id, request.GET.get("q"), request.GET.get("where"))
    if doc is None:
        raise Http404("no such source document")
    return render(request, "web/seed.html", {"doc": doc, "quote": request.GET.get("q"), "where": request.GET.get("where")})


# --- debrief -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def debrief(request: HttpRequest, public_id: str) -> HttpResponse:
    match = queries.match_get(public_id)
    if match is None:
        raise Http404("no such table")
    allowed, seat = access.debrief_access(request, match)
    if not allowed:
        return render(request, "web/no_seat.html", {"match": match}, status=403)
    if seat is not None and match.status != "finished":
        return redirect("web:table", public_id=match.public_id)  # no spoilers while the game runs
    report = D.table_report(match)
    scenario = report.scenario
    deals = [d for d in [D.deal_of(report, label="\u2605", highlight=True)] if d]
    quiz = None
    practice_info = request.session.get(f"practice:{match.pk}") if match.mode == Match.Mode.PRACTICE else None
    if practice_info and practice_info.get("hidden") and seat is not None:
        other = scenario.other_team(seat.team)
        persona_id = queries.bot_personas(match.pk).get(other)
        if persona_id:
            q = persona_quiz(scenario, other, persona_id)
            key = f"quiz:{match.pk}"
            if request.method == "POST" and request.POST.get("persona"):
                request.session[key] = request.POST["persona"][:48]
            guess = request.session.get(key)
            quiz = {"question": say(q.question), "choices": q.choices, "guess": guess,
                    "correct": q.is_correct(guess) if guess else None, "explanation": say(q.explanation) if guess else None,
                    "answer": say(next((c.name for c in q.choices if c.id == q.answer), q.answer))}
    try:
        replay_url = reverse("replays:page", kwargs={"public_id": match.public_id}) if report.finished else None
    except NoReverseMatch:  # the replay pages are optional
        replay_url = None
    return render(request, "web/debrief.html", {
        "replay_url": replay_url,
        "report": report, "scenario": scenario, "seat": seat, "match": match, "quiz": quiz,
        "my_team": seat.team if seat else None,
        "pareto": D.pareto_for(scenario, report.score, deals), "teams": report.teams,
        "annotations": sorted(report.annotations, key=lambda a: (a["scored_at"], a["id"])),
        "workshop": match.workshop if match.workshop_id else None,
        "is_facilitator": seat is None,
        "played_on": D.played_on_comparison(report),
        "epilogue_rows": epilogue_rows(scenario, (match.snapshot or {}).get("epilogue")),
    })


# The exports: a team's row per table (csv, json), a person's row per seat (people.csv), an event's
# row per event of the log (events.csv); a workshop's export has every table's rows.
EXPORTS = {
    "csv": (D.rows_for, D.CSV_FIELDS),
    "people.csv": (D.people_rows, D.PEOPLE_FIELDS),
    "events.csv": (D.event_rows, D.EVENT_FIELDS),
}


def _csv_response(reports: list[D.TableReport], fmt: str, workshop_code: str) -> HttpResponse:
    rows_of, fields = EXPORTS[fmt]
    rows = [row for r in reports for row in rows_of(r, workshop_code)]
    return HttpResponse(D.to_csv(rows, fields), content_type="text/csv; charset=utf-8")


@require_http_methods(["GET", "POST"])
def drill(request: HttpRequest, public_id: str) -> HttpResponse:
    """Learn from your mistakes: the positions of this trainee's three most costly marked moves, a
    better move to choose at each, scored by the game's rubric; the original reason after the answer."""
    match = queries.match_get(public_id)
    if match is None:
        raise Http404("no such table")
    allowed, seat = access.debrief_access(request, match)
    if not allowed or seat is None:
        return render(request, "web/no_seat.html", {"match": match}, status=403)
    if match.status != "finished":
        return redirect("web:table", public_id=match.public_id)
    scenario = selectors.scenario_of(match.scenario)
    events = selectors.match_events(match)
    positions = drill_positions(scenario, selectors.match_setup(match), events, seat.role_id)
    answer, error = None, None
    if request.method == "POST":
        seq, choice = request.POST.get("position", ""), request.POST.get("choice", "")
        found = next((p for p in positions if str(p.seq) == seq), None)
        if found is None:
            error = gettext("That position is not one of this drill's; choose a move below.")
        elif not choice.isdigit() or int(choice) >= len(found.choices):
            error = gettext("Choose one of the moves offered for that position.")
        else:
            answer = (found.seq, int(choice))
    rows = [D.drill_view(scenario, p, seat.role_id, answer) for p in positions]
    return render(request, "web/drill.html", {
        "match": match, "scenario": scenario, "positions": rows, "error": error,
    }, status=400 if error else 200)


def debrief_export(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    if fmt not in (*EXPORTS, "json"):
        raise Http404("export as csv, people.csv, events.csv or json")
    match = queries.match_get(public_id)
    if match is None:
        raise Http404("no such table")
    allowed, seat = access.debrief_access(request, match)
    if not allowed or (seat is not None and match.status != "finished"):
        return render(request, "web/no_seat.html", {"match": match}, status=403)
    report = D.table_report(match)
    name = f"match-{match.public_id}"
    if fmt in EXPORTS:
        response = _csv_response([report], fmt, match.workshop.code if match.workshop_id else "")
    else:
        response = JsonResponse(D.to_json(report), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- facilitator -----------------------------------------------------------------------------------
def _scenario_choices() -> list[tuple[str, Scenario]]:
    return [(r.scenario_id, selectors.scenario_of(r)) for r in queries.scenario_records()]


@login_required
@require_http_methods(["GET", "POST"])
def facilitator_home(request: HttpRequest) -> HttpResponse:
    choices = _scenario_choices()
    form = WorkshopForm(request.POST or None, scenarios=choices)
    error = None
    if request.method == "POST" and form.is_valid():
        found = _scenario_by_id(form.cleaned_data["scenario"])
        try:
            workshop = services.workshop_create(
                facilitator=request.user, scenario_record=found[0], title=form.cleaned_data["title"],
                tables=form.cleaned_data["tables"], settings=form.settings_payload(),
            )
        except ServiceError as exc:
            error = exc.message
        else:
            return redirect("web:console", code=workshop.code)
    return render(request, "web/facilitator_home.html", {
        "form": form, "error": error, "workshops": queries.facilitator_workshops(request.user),
        "has_scenario": bool(choices),
    }, status=400 if (request.method == "POST") else 200)


def _workshop_or_404(request: HttpRequest, code: str):
    workshop = access.facilitated_workshop(request.user, code=code)
    if workshop is None:
        raise Http404("you run no workshop with that code")
    return workshop


@login_required
def facilitator_console(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop_or_404(request, code)
    scenario = selectors.scenario_of(workshop.scenario)
    tables = selectors.workshop_tables(workshop.pk)
    config = {
        "mode": "console", "workshop": workshop.pk, "code": workshop.code, "ws_path": f"/ws/workshop/{workshop.public_id}/",
        "teams": _teams(scenario),
        "roles": {r.id: {"title": say(r.title), "team": r.team, "level": r.level} for r in scenario.roles},
        "injects": [{"id": i.id, "title": say(i.title), "target": i.target} for i in scenario.injects],
        "rounds": [{"index": r.index, "title": say(r.title)} for r in scenario.rounds],
        "phases": {k: gettext(v) for k, v in PHASE_TITLES.items()},  # the engine's titles are the message ids
        "observe_url": reverse("web:observe", kwargs={"code": workshop.code, "table_no": 0}).replace("/0/", "/{n}/"),
        "debrief_url": reverse("web:debrief", kwargs={"public_id": "0"}).replace("/0/", "/{id}/"),
        "public_ids": {m.pk: m.public_id for m in tables},
        "stuck_seconds": 180,
    }
    # Trainees join at the room's address (`make room` sets it), else at the one this page was opened at.
    origin = django_settings.PUBLIC_ORIGIN or f"{request.scheme}://{request.get_host()}"
    join_url = origin + reverse("web:join", kwargs={"code": workshop.code})
    held, free = _seat_rows(workshop, scenario)
    notice = request.GET.get("seats") or request.GET.get("seat_error")
    return render(request, "web/console.html", {
        "workshop": workshop, "scenario": scenario, "config": config, "tables": tables, "join_url": join_url,
        "join_at": f"{urlsplit(origin).netloc}/join", "join_qr": qr.svg(join_url, title=gettext("QR code of %(url)s") % {"url": join_url}),
        "settings": workshop.settings, "held_seats": held, "free_seats": free,
        "network_cap": workshop.settings.get("seats_per_network") or django_settings.WORKSHOP_SEATS_PER_NETWORK,
        "seat_notice": SEAT_NOTICES.get(notice or "", gettext("Something went wrong; try again.") if notice else None),
        "seat_notice_bad": bool(request.GET.get("seat_error")),
    })


def _seat_rows(workshop, scenario: Scenario) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the trainees' seats, the seats a trainee can be moved to), for the console's seat controls;
    each trainee's seat says when its trainee last showed activity."""
    held, free = [], []
    now = time.time()
    active = selectors.seats_last_active(workshop, now=now, ttl=django_settings.REALTIME_PRESENCE_TTL)
    for s in selectors.workshop_seats(workshop):
        row = {**s, "key": f"{s['table']}:{s['role_id']}", "team_name": say(scenario.team(s["team"]).name), "title": say(s["title"])}
        if not s["free"]:
            last, online = active.get((s["table"], s["role_id"]), (None, False))
            row["activity"] = _activity(now, last, online)
        (free if s["free"] else held).append(row)
    return held, free


def _activity(now: float, last: float | None, online: bool) -> str:
    """A trainee's last activity in words: online now, or how long ago."""
    if online:
        return gettext("Online now")
    if last is None:
        return gettext("Not seen yet")
    minutes = int(max(0.0, now - last) // 60)
    if minutes < 1:
        return gettext("Active under a minute ago")
    if minutes < 120:
        return gettext("Active %(minutes)d min ago") % {"minutes": minutes}
    return gettext("Active %(hours)d h ago") % {"hours": minutes // 60}


@login_required
@require_http_methods(["POST"])
def facilitator_seats(request: HttpRequest, code: str) -> HttpResponse:
    """The console's seat controls: free a trainee's seat, move the trainee to a free seat, or change
    how many seats one network may hold."""
    workshop = _workshop_or_404(request, code)
    try:
        if request.POST.get("action") == "cap":
            raw = request.POST.get("seats_per_network", "")
            services.workshop_set_network_cap(workshop=workshop, seats=int(raw) if raw.isdigit() else 0)
            return redirect(f"{reverse('web:console', kwargs={'code': workshop.code})}?seats=cap#seats")
        table_no, role_id = _seat_key(request.POST.get("seat", ""))
        if request.POST.get("action") == "free":
            seat = services.seat_free(workshop=workshop, table_no=table_no, role_id=role_id)
            changed, revoked, done = [seat.match_id], [(seat.match_id, seat.role_id)], "freed"
        elif request.POST.get("action") == "move":
            to_table, to_role = _seat_key(request.POST.get("to", ""))
            source, target = services.seat_move(
                workshop=workshop, from_table=table_no, from_role=role_id, to_table=to_table, to_role=to_role
            )
            changed, revoked, done = [source.match_id, target.match_id], [(source.match_id, source.role_id)], "moved"
        else:
            raise ServiceError("request/invalid", gettext("Choose to free or to move a seat."))
    except ServiceError as exc:
        return redirect(f"{reverse('web:console', kwargs={'code': workshop.code})}?seat_error={exc.code}#seats")
    from game.realtime.fanout import notify_seats_changed  # noqa: PLC0415 (the tables see the change)

    notify_seats_changed(changed, revoked=revoked)
    return redirect(f"{reverse('web:console', kwargs={'code': workshop.code})}?seats={done}#seats")


def _seat_key(raw: str) -> tuple[int, str]:
    table_part, _, role_id = raw.partition(":")
    if not table_part.isdigit() or not role_id:
        raise ServiceError("seat/not_found", gettext("Choose a seat."))
    return int(table_part), role_id[:48]


SEAT_NOTICES = {
    "cap": gettext_lazy("Saved: the new limit applies to the next trainee who joins."),
    "request/invalid": gettext_lazy("Seats per network: a number from 1 to 1000."),
    "freed": gettext_lazy("The seat is free: its trainee was disconnected and can join again with the code."),
    "moved": gettext_lazy("The trainee was moved; their browser follows to the new seat."),
    "seat/taken": gettext_lazy("That seat was taken meanwhile; choose another."),
    "seat/empty": gettext_lazy("Nobody sits in that seat any more."),
    "seat/not_found": gettext_lazy("Choose a seat."),
}


@login_required
def facilitator_observe(request: HttpRequest, code: str, table_no: int) -> HttpResponse:
    workshop = _workshop_or_404(request, code)
    match = next((m for m in selectors.workshop_tables(workshop.pk) if m.table_no == table_no), None)
    if match is None:
        raise Http404("no such table")
    scenario = selectors.scenario_of(workshop.scenario)
    config = {
        "mode": "observer", "match": match.pk, "seat": FACILITATOR, "team": None, "ws_path": f"/ws/workshop/{workshop.public_id}/",
        "practice": False, "label": _table_label(match), "workshop": workshop.code,
        "teams": _teams(scenario), "dimensions": _dimension_info(), "marks": notes.mark_words(),
        "rules": notes.rule_titles(), "debrief_url": reverse("web:debrief", kwargs={"public_id": match.public_id}),
        "scenario": selectors.scenario_for(scenario, None, everything=True, language=get_language()),
        "words": words(), "card_kinds": {kind: str(title) for kind, title in CARD_KINDS.items()},
        "console_url": reverse("web:console", kwargs={"code": workshop.code}),
    }
    return render(request, "web/observe.html", {
        "workshop": workshop, "match": match, "scenario": scenario, "config": config, "table_no": table_no,
        "round": _round_context(scenario, match.snapshot.get("round", 0)),
    })


def _workshop_reports(workshop) -> list[D.TableReport]:
    return [D.table_report(m) for m in selectors.workshop_tables(workshop.pk)]


@login_required
def facilitator_debrief(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop_or_404(request, code)
    scenario = selectors.scenario_of(workshop.scenario)
    reports = _workshop_reports(workshop)
    deals = [d for r in reports if (d := D.deal_of(r, label=str(r.match.table_no or r.match.pk)))]
    board = sorted(
        ({"table": r.match.table_no, "label": r.label, "public_id": r.match.public_id, "team": t, "status": r.result["status"],
          "result": r.result["kind"], "round": r.result["round"]} for r in reports for t in r.teams),
        key=lambda x: -x["team"]["board"]["score"],
    )
    # The most costly mistakes across the workshop, per team.
    for r in reports:
        for a in r.annotations:
            a["table_label"] = r.label
    mistakes = []
    for team in scenario.teams:
        notes = [a for r in reports for a in r.annotations if a["team"] == team.id]
        mistakes.append({"name": say(team.name), "cls": D.team_class(scenario, team.id), "items": D.mistakes_of(notes)})
    return render(request, "web/workshop_debrief.html", {
        "workshop": workshop, "scenario": scenario, "reports": reports, "board": board, "mistakes": mistakes,
        "pareto": D.pareto_for(scenario, reports[0].score, deals) if reports else None,
        "teams": _teams(scenario), "questions": D.debrief_questions(scenario, reports),
    })


def _role_pack(scenario: Scenario, role) -> dict[str, Any]:
    """What one role takes to the table on paper: its brief, its team's confidential sheet and BATNA,
    its priorities and red lines, and the cards it signs."""
    team = scenario.team(role.team)
    option_label = {(i.id, o.id): o.label for i in scenario.issues for o in i.options}
    sheet = [{"title": i.title, "priority": role.priorities.get(i.id),
              "options": [{"label": o.label, "points": team.points[i.id][o.id]} for o in i.options]} for i in scenario.issues]
    cards = []
    for card in scenario.deliverables:
        if role.id in card.prepared_by:
            first = scenario.first_round_from(card.available_from)
            cards.append({
                "title": card.title, "kind": CARD_KINDS.get(card.kind, card.kind), "description": card.description,
                "backs": "; ".join(
                    f"{say(scenario.issue(b.issue).title)}: {_either([say(option_label[(b.issue, o)]) for o in b.options])}"
                    for b in card.backs
                ),
                "with": [scenario.role(r).title for r in card.prepared_by if r != role.id],
                "from_round": None if first is None else {"index": first, "date": scenario.rounds[first].date},
                "preparation_rounds": card.preparation_rounds,
            })
    return said({
        "role": role, "level_title": LEVEL_TITLES[role.level], "team": team, "cls": D.team_class(scenario, team.id), "sheet": sheet,
        "red_lines": [{"issue": scenario.issue(x.issue).title, "worst": option_label[(x.issue, x.worst_acceptable)], "reason": x.reason} for x in role.red_lines],
        "cards": cards,
    })


def _either(labels: list[str]) -> str:
    """"A", "A or B", "A, B or C": the options a card backs, in the reader's language."""
    if len(labels) <= 1:
        return "".join(labels)
    return gettext("%(options)s or %(last)s") % {"options": ", ".join(labels[:-1]), "last": labels[-1]}


@login_required
def facilitator_packs(request: HttpRequest, code: str) -> HttpResponse:
    """Every role's pack, one A4 page each, to print before the session."""
    workshop = _workshop_or_404(request, code)
    scenario = selectors.scenario_of(workshop.scenario)
    return render(request, "web/role_packs.html", {
        "workshop": workshop, "scenario": scenario, "packs": [_role_pack(scenario, r) for r in scenario.roles],
    })


@login_required
def facilitator_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in (*EXPORTS, "json"):
        raise Http404("export as csv, people.csv, events.csv or json")
    workshop = _workshop_or_404(request, code)
    reports = _workshop_reports(workshop)
    name = f"workshop-{workshop.code}"
    if fmt in EXPORTS:
        response = _csv_response(reports, fmt, workshop.code)
    else:
        payload = {
            "workshop": {"code": workshop.code, "title": workshop.title, "scenario": workshop.scenario.scenario_id,
                         "scenario_version": workshop.scenario.version, "settings": workshop.settings},
            "tables": [D.to_json(r) for r in reports],
        }
        response = HttpResponse(json.dumps(payload, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


