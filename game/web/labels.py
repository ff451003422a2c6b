"""The pages' names for the scenario's fixed vocabularies (role levels, bot difficulties), translated.

The scenario keys them in English ids; these are what a trainee reads, in the language of the request."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEVEL_TITLES = {"leader": _("Leader"), "minister": _("Minister"), "technical": _("Technical")}
DIFFICULTY_TITLES = {"easy": _("Easy"), "medium": _("Medium"), "hard": _("Hard")}
# An execution card's kind, as its badge names it.
CARD_KINDS = {
    "decree": _("Decree"), "directive": _("Directive"), "mou": _("MOU"), "purchase_order": _("Purchase order"),
    "draft_text": _("Draft text"), "statement": _("Statement"),
}
