"""HTTP views: thin, reading through selectors and writing through services.

The JSON endpoints a page calls (docs/protocol.md, "HTTP endpoints"):
- facilitator (signed in): create a workshop, read it, move a trainee;
- trainee (no account): look up a join code, take or resume a seat, start a practice game.
Every refusal is {"error": {code, message, details}} with a fitting HTTP status.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from game import clients, seat_cookies, selectors, services
from game.models import ScenarioRecord, Workshop
from game.realtime.fanout import notify_seats_changed
from game.services import ServiceError
from game.throttle import throttled
from game.web.forms import SignupForm

Name = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkshopCreateBody(_Body):
    title: Annotated[str, StringConstraints(max_length=120)] = "Workshop"
    scenario_id: Slug | None = None  # default: the newest version of the first scenario loaded
    tables: int = Field(ge=1, le=200)
    settings: dict[str, Any] = {}


class JoinBody(_Body):
    display_name: Name
    table: int | None = Field(default=None, ge=1, le=200)
    role_id: Slug | None = None


class MoveSeatBody(_Body):
    from_table: int = Field(ge=1)
    from_role: Slug
    to_table: int = Field(ge=1)
    to_role: Slug


class PracticeBody(_Body):
    scenario_id: Slug | None = None
    team: Slug
    role_id: Slug
    persona_id: Slug | None = None  # a persona id, or a difficulty: easy, medium, hard
    personas: dict[Slug, Slug] | None = None  # per team, wins over persona_id
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    display_name: Name = "Trainee"


def _error(exc: ServiceError) -> JsonResponse:
    return JsonResponse({"error": exc.as_dict()}, status=exc.status)


def _body(request: HttpRequest, model: type[BaseModel]) -> Any:
    if request.content_type != "application/json":
        raise ServiceError("request/invalid", "send a JSON body with Content-Type: application/json", status=415)
    try:
        return model.model_validate_json(request.body or b"{}")
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ServiceError("request/invalid", f"{where}: {first['msg']}", field=where) from None


def _scenario(scenario_id: str | None) -> ScenarioRecord:
    if scenario_id is None:
        first = ScenarioRecord.objects.order_by("id").first()
        if first is None:
            raise ServiceError("scenario/not_found", "no scenario is loaded; run manage.py load_scenario", status=404)
        scenario_id = first.scenario_id
    try:
        return selectors.scenario_get(scenario_id)
    except (ScenarioRecord.DoesNotExist, ValueError):
        raise ServiceError("scenario/not_found", f"no scenario {scenario_id!r} is loaded", status=404) from None


def _ws_url(request: HttpRequest, path: str) -> str:
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}{path}"


def _seat_json(request: HttpRequest, seat, *, resumed: bool = False) -> dict[str, Any]:
    """A seat as the API answers it. The seat's secret travels only in its HttpOnly cookie."""
    return {
        "match_id": seat.match.public_id, "table": seat.match.table_no, "role_id": seat.role_id, "team": seat.team,
        "display_name": seat.display_name, "resumed": resumed,
        "url": request.build_absolute_uri(f"/play/{seat.match.public_id}/"),
        "ws_url": _ws_url(request, f"/ws/match/{seat.match.public_id}/"),
    }


def _workshop_json(request: HttpRequest, workshop: Workshop, *, private: bool) -> dict[str, Any]:
    scenario = selectors.scenario_of(workshop.scenario)
    data: dict[str, Any] = {
        "id": workshop.public_id, "code": workshop.code, "title": workshop.title, "status": workshop.status,
        "scenario": {"id": scenario.id, "version": scenario.version, "title": scenario.title},
        "teams": [{"id": t.id, "name": t.name} for t in scenario.teams],
        "link": request.build_absolute_uri(f"/join/{workshop.code}/"),
        "expires_at": workshop.expires_at.isoformat(),
        "tables": [{"table": m.table_no, "match_id": m.public_id, "label": m.label, "status": m.status} for m in selectors.workshop_tables(workshop.pk)],
        "seats": selectors.workshop_seats(workshop),
    }
    if private:
        data["settings"] = workshop.settings
        data["ws_url"] = _ws_url(request, f"/ws/workshop/{workshop.public_id}/")
    return data


def _facilitator_workshop(request: HttpRequest, code: str) -> Workshop:
    workshop = Workshop.objects.select_related("scenario").filter(code=code.upper(), facilitator=request.user).first()
    if workshop is None:
        raise ServiceError("workshop/not_found", "you run no workshop with that code", status=404)
    return workshop


def _api(view):
    """Turn a ServiceError raised by a view into its JSON error response."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            return _error(exc)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- pages -------------------------------------------------------------------------------------------
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "scenarios": ScenarioRecord.objects.count()})


@require_http_methods(["GET", "POST"])
@throttled("signup", page=True, methods=("POST",))
def facilitator_signup(request: HttpRequest) -> HttpResponse:
    """A facilitator account (any Django user can run workshops)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("web:facilitator")
    return render(request, "registration/signup.html", {"form": form})


# --- facilitator API (signed in; CSRF applies as to any session-authenticated POST) -----------------
def _json_login_required(view):
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": {"code": "auth/login_required", "message": "sign in as a facilitator first", "details": {}}}, status=401)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@require_POST
@_json_login_required
@_api
def api_workshop_create(request: HttpRequest) -> JsonResponse:
    body = _body(request, WorkshopCreateBody)
    workshop = services.workshop_create(
        facilitator=request.user, scenario_record=_scenario(body.scenario_id), title=body.title,
        tables=body.tables, settings=body.settings,
    )
    return JsonResponse(_workshop_json(request, workshop, private=True), status=201)


@require_GET
@_json_login_required
@_api
def api_workshop_detail(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(_workshop_json(request, _facilitator_workshop(request, code), private=True))


@require_POST
@_json_login_required
@_api
def api_seat_move(request: HttpRequest, code: str) -> JsonResponse:
    workshop = _facilitator_workshop(request, code)
    body = _body(request, MoveSeatBody)
    source, target = services.seat_move(
        workshop=workshop, from_table=body.from_table, from_role=body.from_role, to_table=body.to_table, to_role=body.to_role
    )
    notify_seats_changed([source.match_id, target.match_id], revoked=[(source.match_id, source.role_id)])
    return JsonResponse({"from": {"match_id": source.match.public_id, "role_id": source.role_id, "kind": source.kind},
                         "to": {"match_id": target.match.public_id, "role_id": target.role_id, "display_name": target.display_name}})


@require_POST
@_json_login_required
@_api
def api_workshop_close(request: HttpRequest, code: str) -> JsonResponse:
    services.workshop_close(workshop=_facilitator_workshop(request, code))
    return JsonResponse({"status": "closed"})


# --- trainee API (no account: JSON bodies only, so a cross-site form cannot post here) ---------------
@require_GET
@throttled("join_lookup")
@_api
def api_join_info(request: HttpRequest, code: str) -> JsonResponse:
    """What a join page shows: the workshop, its teams, every seat and whether it is free."""
    workshop = services.workshop_for_join(code=code)
    return JsonResponse(_workshop_json(request, workshop, private=False))


@csrf_exempt
@require_POST
@throttled("seat_claim", per_client="seat_claim_client")
@_api
def api_join(request: HttpRequest, code: str) -> JsonResponse:
    """Take a seat (a named one, or auto-seated), or resume the one this browser already holds."""
    workshop = services.workshop_for_join(code=code)
    body = _body(request, JoinBody)
    client = clients.client_of(request)
    _, held_token = services.seat_held_in(workshop=workshop, tokens=seat_cookies.tokens_in(request.COOKIES))
    grant = services.seat_claim(
        workshop=workshop, display_name=body.display_name, table_no=body.table, role_id=body.role_id,
        token=held_token, client_hash=client.client_hash, network_hash=client.network_hash,
    )
    if not grant.resumed:
        notify_seats_changed([grant.seat.match_id])
    response = JsonResponse(_seat_json(request, grant.seat, resumed=grant.resumed), status=200 if grant.resumed else 201)
    if grant.token:
        seat_cookies.remember(response, grant.seat.match_id, grant.token)
    return clients.remember(response, client)


@require_GET
@throttled("join_lookup")
@_api
def api_join_me(request: HttpRequest, code: str) -> JsonResponse:
    """The seat this browser holds in the workshop (its seat cookie), to resume it."""
    workshop = services.workshop_for_join(code=code)
    seat, _ = services.seat_held_in(workshop=workshop, tokens=seat_cookies.tokens_in(request.COOKIES))
    if seat is None:
        raise ServiceError("seat/not_found", "This browser holds no seat here; join again with the code.", status=404)
    return JsonResponse(_seat_json(request, seat, resumed=True))


@csrf_exempt
@require_POST
@throttled("practice_create", per_client="practice_create_client")
@_api
def api_practice(request: HttpRequest) -> JsonResponse:
    """One trainee against bots on both teams; the trainee paces the game."""
    body = _body(request, PracticeBody)
    client = clients.client_of(request)
    match, token = services.practice_create(
        scenario_record=_scenario(body.scenario_id), team=body.team, role_id=body.role_id,
        persona_id=body.persona_id, personas=body.personas, seed=body.seed, display_name=body.display_name,
    )
    seat = match.seats.get(role_id=body.role_id)
    seat.match = match
    response = seat_cookies.remember(JsonResponse(_seat_json(request, seat), status=201), match.pk, token)
    return clients.remember(response, client)
