"""`{% load say %}` … `{{ note.reason|say }}`: the rules core's words in the reader's language."""

from django import template

from game.web.text import say as _say

register = template.Library()


@register.filter
def say(value):
    return _say(value)
