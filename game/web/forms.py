"""Forms of the pages: practice set-up, joining a table, creating a workshop."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy, ngettext

from game.engine import PHASE_TITLES
from game.scenario import PHASE_ORDER, Scenario
from game.scenario.timing import EPILOGUE_FROM_MINUTES, SESSION_MINUTES, plays_epilogue, timing_plan
from game.web.labels import DIFFICULTY_TITLES
from game.web.text import say

PHASES = tuple((p, title) for p, title in PHASE_TITLES.items() if p in PHASE_ORDER)  # a round's phases
EPILOGUE_LABEL = gettext_lazy("Play the epilogue after a deal")
HIDDEN = "hidden"


class PracticeForm(forms.Form):
    scenario = forms.CharField(widget=forms.HiddenInput)
    team = forms.CharField()
    role_id = forms.CharField()
    persona = forms.CharField()
    display_name = forms.CharField(max_length=40, required=False)
    epilogue = forms.BooleanField(required=False, label=EPILOGUE_LABEL)


class JoinForm(forms.Form):
    display_name = forms.CharField(max_length=40, label=gettext_lazy("Your name (as your table will see it)"))
    seat = forms.CharField(required=False)  # "auto" or "<table>:<role id>"


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=120, initial=gettext_lazy("Negotiation workshop"))
    scenario = forms.ChoiceField()
    tables = forms.IntegerField(min_value=1, initial=4)
    seats_per_network = forms.IntegerField(
        min_value=1, max_value=1000, required=False,
        help_text=gettext_lazy("Trainees on the same Wi-Fi share one network address; one person who drops their cookies does too. "
                    "Raise this if your room shares one connection."),
    )
    session = forms.ChoiceField(required=False, label=gettext_lazy("Session length"))  # choices: per request, translated
    epilogue = forms.ChoiceField(label=EPILOGUE_LABEL, initial="plan", required=False)  # left out: as the plan sets it; choices per request
    weight_outcome = forms.IntegerField(min_value=0, max_value=100, initial=45, label=gettext_lazy("Outcome"))
    weight_joint = forms.IntegerField(min_value=0, max_value=100, initial=20, label=gettext_lazy("Joint value"))
    weight_alignment = forms.IntegerField(min_value=0, max_value=100, initial=35, label=gettext_lazy("Alignment"))
    dropout_grace = forms.IntegerField(
        min_value=10, max_value=3600, required=False, initial=90, label=gettext_lazy("A bot covers a dropped-out trainee after (seconds)"),
    )

    def __init__(self, *args, scenarios: list[tuple[str, Scenario]], **kwargs):
        super().__init__(*args, **kwargs)
        self.scenarios = dict(scenarios)
        self.fields["scenario"].choices = [(sid, say(sc.title)) for sid, sc in scenarios]
        self.fields["session"].choices = [("", gettext("My own timers (below)"))] + [
            (str(m), gettext("%(minutes)d minutes") % {"minutes": m}) for m in SESSION_MINUTES
        ]
        self.fields["epilogue"].choices = [
            ("plan", gettext("As the session length sets it (only the %(minutes)d-minute plan plays it)") % {"minutes": EPILOGUE_FROM_MINUTES}),
            ("yes", gettext("Yes: a deal opens the epilogue, where the aftermath presses each team to reopen its deal")),
            ("no", gettext("No: the game ends at the deal")),
        ]
        self.fields["tables"].widget.attrs["max"] = settings.WORKSHOP_MAX_TABLES
        self.fields["seats_per_network"].initial = settings.WORKSHOP_SEATS_PER_NETWORK
        for phase, label in PHASES:
            self.fields[f"minutes_{phase}"] = forms.IntegerField(
                # The engine's English phase title is the message id (the table page's phase steps carry it too).
                min_value=1, max_value=240, required=False, label=gettext(label),
                initial={"briefing": None, "caucus": 8, "table": 12, "review": None}[phase],
            )
        first = scenarios[0][1] if scenarios else None
        self.teams = []
        if first is not None:
            for team in first.teams:
                choices = [("", gettext("No bot: leave free seats empty"))] + [
                    (p.id, f"{say(p.name)} ({DIFFICULTY_TITLES[p.difficulty]})") for p in first.personas_for(team.id)
                ]
                medium = next((p.id for p in first.personas_for(team.id) if p.difficulty == "medium"), "")
                self.fields[f"bot_{team.id}"] = forms.ChoiceField(
                    choices=choices, required=False, initial=medium, label=gettext("Free %(team)s seats") % {"team": say(team.name)}
                )
                self.teams.append(team)

    def clean_tables(self):
        tables = self.cleaned_data["tables"]
        if tables > settings.WORKSHOP_MAX_TABLES:
            raise forms.ValidationError(
                ngettext("A workshop has at most %(count)d table.", "A workshop has at most %(count)d tables.",
                         settings.WORKSHOP_MAX_TABLES) % {"count": settings.WORKSHOP_MAX_TABLES}
            )
        return tables

    def clean(self):
        data = super().clean()
        weights = [data.get(f"weight_{k}") for k in ("outcome", "joint", "alignment")]
        if all(w is not None for w in weights) and sum(weights) != 100:
            raise forms.ValidationError(gettext_lazy("The three leaderboard weights must add up to 100%."))
        case = self.scenarios.get(data.get("scenario"))
        if data.get("epilogue") == "yes" and case is not None and case.epilogue is None:
            self.add_error("epilogue", gettext("This case has no epilogue: choose \"No\" or another case."))
        return data

    def plays_epilogue(self) -> bool:
        data = self.cleaned_data
        if data.get("epilogue") in ("yes", "no"):
            return data["epilogue"] == "yes"
        case = self.scenarios.get(data.get("scenario"))
        return bool(data.get("session")) and case is not None and plays_epilogue(case, int(data["session"]))

    def phase_fields(self):
        return [self[f"minutes_{p}"] for p, _ in PHASES]

    def bot_fields(self):
        return [(team, self[f"bot_{team.id}"]) for team in self.teams]

    def settings_payload(self) -> dict:
        data = self.cleaned_data
        if data.get("session") and data.get("scenario") in self.scenarios:
            # One choice sets every timer: the case's plan for a session of that length.
            phase_seconds = timing_plan(self.scenarios[data["scenario"]], int(data["session"]))
        else:
            phase_seconds = {p: data[f"minutes_{p}"] * 60 for p, _ in PHASES if data.get(f"minutes_{p}")}
        return {
            "phase_seconds": phase_seconds,
            "epilogue": self.plays_epilogue(),
            "bots": {t.id: data[f"bot_{t.id}"] for t in self.teams if data.get(f"bot_{t.id}")},
            "weights": {k: data[f"weight_{k}"] / 100 for k in ("outcome", "joint", "alignment")},
            "seats_per_network": data.get("seats_per_network"),
            "dropout_grace_seconds": data.get("dropout_grace"),
        }


class SignupForm(UserCreationForm):
    """A facilitator account. A password the validators refuse (too short, too common) is an error of the
    password itself, shown under the Password field, not under its confirmation."""

    def validate_password_for_user(self, user, password_field_name="password1"):
        super().validate_password_for_user(user, password_field_name=password_field_name)
