"""Which way a text runs: right to left when its first strong letter is Hebrew, Arabic...

The HTML ``dir="auto"`` rule (the first character with a strong direction decides), for
places that do not apply it themselves: WeasyPrint lays a paragraph out in the direction it
is told, so the PDF templates say ``dir="rtl"`` or ``dir="ltr"`` per paragraph.
"""

from __future__ import annotations

import unicodedata

RTL_CLASSES = frozenset({"R", "AL"})


def direction(text: str) -> str:
    """ "rtl" or "ltr" by the first strongly directional character ("ltr" when none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
