"""Server-rendered pages (landing, practice set-up, join, table, facilitator console, debrief, seeds).

Thin: every write goes through game.services, every read through game.selectors (or the few
page-only reads in game.web.queries); the rules live in the core, the live parts in static/js.
"""
