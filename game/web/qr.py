"""The QR code of a join link: SVG made on the server with segno, so the console needs no CDN or internet."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def svg(url: str, *, title: str) -> SafeString:
    """An inline <svg> of `url` that scales to its box (no fixed size); dark on white, with the quiet zone
    scanners need. Medium error correction: a phone still reads it off a washed-out projector."""
    code = segno.make(url, error="m")
    # segno escapes the title; everything else in the SVG is generated.
    return mark_safe(code.svg_inline(omitsize=True, border=4, dark="#0b1220", light="#ffffff", title=title, svgclass="qr"))  # noqa: S308
