"""A qualifier after a comma: "Kilburn, London", "نیوبرگ، اورگن" (Newberg, Oregon).

GeoNames writes 6,137 of its Persian and Urdu city names so, telling a place from its namesakes
by where it lies. The part before the comma is the place's name.
"""

from __future__ import annotations

import re

# Latin, Arabic and CJK full-width commas. The ideographic 、 lists things; it qualifies none.
_COMMA = re.compile(r"\s*[,،，]\s*")


def split_qualifier(text: str) -> tuple[str, str] | None:
    """(name, qualifier) of "name, qualifier"; None for a name with no comma or an empty side."""
    parts = _COMMA.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]
