"""Replays of finished matches: the whole game rebuilt from its log, annotated, charted, shared, exported.

document.py (pure: the replay document), charts.py (pure: inline SVG), exchange.py (export / import
files), selectors.py (who may see what; the library), services.py (share links), views.py, urls.py.
"""
