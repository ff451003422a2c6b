"""Replay pages: thin. Access is decided in game.access (through game.replays.selectors.viewer_of);
the document is built in game.replays.selectors, once.

Who may open a replay (docs/replays.md):
- the participants of the match (the seat cookie of one of its seats in this browser),
- the facilitator who owns the match's workshop,
- anyone holding a live share link (/r/<token>/), read-only.
Nobody else: a friendly 404. And only once the game is finished, for everyone (a replay shows both
teams' caucus); until then the players get a friendly 403 and the facilitator is sent to the live view.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from game import access, seat_cookies, services as game_services
from game.engine import MoveError
from game.models import Match
from game.replays import selectors as S
from game.replays import services
from game.replays.exchange import export_bytes
from game.selectors import scenario_of
from game.web import moves
from game.web.epilogue import epilogue_rows
from game.web.shortcuts import SHORTCUTS
from game.web.text import say


def _unavailable(
    request: HttpRequest, *, status: int, title: str, text: str, match: Match | None = None, live_url: str | None = None,
    back_url: str | None = None,
) -> HttpResponse:
    return render(
        request, "replays/unavailable.html",
        {"status": status, "title": title, "text": text, "match": match, "live_url": live_url, "back_url": back_url}, status=status,
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    return _unavailable(
        request, status=404, title=gettext("We could not open that replay"),
        text=gettext("The link may be wrong or revoked, or this game is not one of yours. Replays open for the players of a "
                     "game, its workshop's facilitator, and anyone the players share a link with."),
    )


def _not_finished(request: HttpRequest, match: Match, viewer: S.Viewer) -> HttpResponse:
    live = None
    if viewer.kind == "facilitator" and match.workshop is not None:
        live = reverse("web:observe", args=[match.workshop.code, match.table_no])
    elif viewer.kind == "participant":
        live = reverse("web:table", args=[match.public_id])
    return _unavailable(
        request, status=403, title=gettext("The replay opens when the game ends"),
        text=gettext("A replay shows both teams' private caucus, so it is not available while the game is still being played. "
                     "You can watch the table live from your dashboard.") if viewer.kind == "facilitator" else
        gettext("A replay shows both teams' private caucus, so it is not available while the game is still being played."),
        match=match, live_url=live,
    )


def _shares(request: HttpRequest, match: Match, viewer: S.Viewer) -> list:
    """The live share links, each marked with whether this viewer may revoke it."""
    if not viewer.can_share:
        return []
    author = S.share_author(request, viewer)
    shares = S.shares_of(match)
    for share in shares:
        share.revocable = viewer.kind == "facilitator" or share.created_by == author
    return shares


def _render(request: HttpRequest, match: Match, viewer: S.Viewer, *, share_token: str | None = None) -> HttpResponse:
    built = S.replay_for(match)
    data = built.get("script")
    if data is None:
        data = built["script"] = json_script(built["doc"], "replay-data")
    ctx = {
        "match": match, "viewer": viewer, "doc": built["doc"], "charts": built["charts"], "data_script": data,
        "summary": built["doc"]["final"], "share_token": share_token,
        "shares": _shares(request, match, viewer),
        "export_url": (reverse("replays:shared_export", args=[share_token]) if share_token
                       else reverse("replays:export", args=[match.public_id])),
        "new_share": request.GET.get("shared"),
        "imported": S.import_of(match),
        "shortcuts": SHORTCUTS["replay"],
        "scenario": (scenario := scenario_of(match.scenario)),
        "epilogue_rows": epilogue_rows(scenario, (match.snapshot or {}).get("epilogue")),
    }
    response = render(request, "replays/replay.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    # A share token in the URL never leaks to another site through a link, while the page's own form posts
    # (share, revoke) still carry their origin: with "no-referrer" Chromium sends `Origin: null` on a
    # same-site post and Django's CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    return response


def _match(public_id: str) -> Match | None:
    return Match.objects.select_related("scenario", "workshop").filter(public_id=public_id[:32]).first()


def _open_finished(request: HttpRequest, public_id: str, then) -> HttpResponse:
    """Who may open a replay, in one place: a participant or the facilitator, once the game is over."""
    match = _match(public_id)
    viewer = S.viewer_of(request, match) if match else None
    if viewer is None:
        return _not_found(request)
    if match.status != "finished":
        return _not_finished(request, match, viewer)
    return then(match, viewer)


@require_GET
def replay_page(request: HttpRequest, public_id: str) -> HttpResponse:
    return _open_finished(request, public_id, lambda match, viewer: _render(request, match, viewer))


@require_GET
def shared_page(request: HttpRequest, token: str) -> HttpResponse:
    share = S.share_of(token)
    if share is None:
        return _not_found(request)
    if share.match.status != "finished":  # cannot happen (links are made after the end), but never reveal a live game
        return _not_found(request)
    return _render(request, share.match, S.Viewer("share", share=share), share_token=token)


def _download(match: Match) -> HttpResponse:
    response = HttpResponse(export_bytes(match), content_type="application/json; charset=utf-8")
    name = f"replay-{match.scenario.scenario_id}-{match.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export(request: HttpRequest, public_id: str) -> HttpResponse:
    return _open_finished(request, public_id, lambda match, viewer: _download(match))


@require_GET
def shared_export(request: HttpRequest, token: str) -> HttpResponse:
    share = S.share_of(token)
    if share is None or share.match.status != "finished":
        return _not_found(request)
    return _download(share.match)


@require_POST
def share_create(request: HttpRequest, public_id: str) -> HttpResponse:
    match = _match(public_id)
    viewer = S.viewer_of(request, match) if match else None
    if viewer is None:
        return _not_found(request)
    if match.status != "finished":
        return _not_finished(request, match, viewer)
    share = services.share_create(match=match, created_by=S.share_author(request, viewer))
    return redirect(reverse("replays:page", args=[match.public_id]) + f"?shared={share.pk}#share")


@require_POST
def share_revoke(request: HttpRequest, public_id: str, share_id: int) -> HttpResponse:
    match = _match(public_id)
    viewer = S.viewer_of(request, match) if match else None
    if viewer is None:
        return _not_found(request)
    if not services.share_revoke(match=match, share_id=share_id, by=S.share_author(request, viewer)):
        return _unavailable(
            request, status=403, title=gettext("You cannot revoke that link"),
            text=gettext("A share link can be revoked by the workshop's facilitator or by the player who created it."),
            match=match,
        )
    return redirect(reverse("replays:page", args=[match.public_id]) + "#share")


@require_POST
def play_on(request: HttpRequest, public_id: str) -> HttpResponse:
    """Play on from here: a practice game from the replay's position after event `step`, the trainee
    in the chosen seat of either team, bots in the others. Whoever may open the replay may."""

    def start(match: Match, viewer: S.Viewer) -> HttpResponse:
        raw = request.POST.get("step", "")
        try:
            new, token = game_services.practice_play_on(
                origin=match, step=int(raw) if raw.isdigit() else None, role_id=request.POST.get("role_id", "")[:48],
                display_name=request.POST.get("display_name") or (viewer.seat.display_name if viewer.seat else "") or "Trainee",
            )
            if new.status == "lobby":  # from before the first event: the trainee's game starts now
                moves.submit(match_id=new.pk, seat=request.POST["role_id"], move={"kind": "start"})
        except game_services.ServiceError as exc:
            return _unavailable(
                request, status=exc.status, title=gettext("That game could not start"), text=exc.message, match=match,
                back_url=reverse("replays:page", args=[match.public_id]),
            )
        except MoveError as exc:  # pragma: no cover - a fresh match always starts
            return _unavailable(request, status=409, title=gettext("That game could not start"), text=say(exc.message), match=match)
        return seat_cookies.remember(redirect(reverse("web:table", args=[new.public_id])), new.pk, token)

    return _open_finished(request, public_id, start)


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """A trainee's own past games (the seats this browser holds) and a facilitator's workshops."""
    own = []
    for match, seat in S.own_matches(request):
        scenario_title = say(scenario_of(match.scenario).title)
        own.append({
            "match": match, "seat": seat, "summary": S.match_summary(match), "scenario_title": scenario_title,
            "where": match.workshop.title if match.workshop else gettext("Practice game"),
        })
    workshops = []
    for w in S.facilitator_workshops(request.user):
        tables = S.workshop_matches(w)
        workshops.append({"workshop": w, "tables": len(tables), "finished": sum(1 for m in tables if m.status == "finished")})
    return render(request, "replays/library.html", {"own": own, "workshops": workshops})


@require_GET
def facilitator_library(request: HttpRequest) -> HttpResponse:
    """Every table of every workshop this facilitator ran, filtered by workshop, table, team and outcome."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('game:login')}?next={request.path}")
    workshops = S.facilitator_workshops(request.user)
    teams = {}
    for w in workshops:
        for t in scenario_of(w.scenario).teams:
            teams.setdefault(t.id, say(t.name))
    chosen, errors = S.library_filter(request.GET, workshops, list(teams))
    rows = S.facilitator_tables(workshops, chosen)
    for row in rows:
        row["trainee_list"] = [(teams.get(t, t), ", ".join(names)) for t, names in row["trainees"].items()]
    return render(request, "replays/facilitator_library.html", {
        "workshops": workshops, "teams": teams, "chosen": chosen, "errors": errors, "rows": rows,
        "outcomes": S.OUTCOMES,
    }, status=400 if errors else 200)


@require_GET
def workshop_library(request: HttpRequest, code: str) -> HttpResponse:
    """Every table of one of the facilitator's workshops, with outcome and alignment at a glance."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('game:login')}?next={request.path}")
    workshop = access.facilitated_workshop(request.user, code=code)
    if workshop is None:
        return _not_found(request)
    rows = [{"match": m, "summary": S.match_summary(m)} for m in S.workshop_matches(workshop)]
    return render(request, "replays/workshop.html", {"workshop": workshop, "rows": rows})
