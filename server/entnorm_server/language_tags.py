"""Whether a request's language hint is a well-formed BCP-47 tag (RFC 5646 §2.1), by its grammar.

langcodes, which the loader uses on curated tables, caches every tag it parses for good: a caller
sending endless distinct tags would grow the server's memory without bound. A hint needs only to
be well formed; a language the engine has no profile for changes nothing.
"""

from __future__ import annotations

import re

_ALNUM = "[a-z0-9]"
_LANGUAGE = r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
_SCRIPT = r"(?:-[a-z]{4})?"
_REGION = r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
_VARIANTS = rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"
_EXTENSIONS = rf"(?:-[0-9a-wy-z](?:-{_ALNUM}{{2,8}})+)*"
_PRIVATE = rf"x(?:-{_ALNUM}{{1,8}})+"
_TAG = re.compile(
    rf"(?:{_LANGUAGE}{_SCRIPT}{_REGION}{_VARIANTS}{_EXTENSIONS}(?:-{_PRIVATE})?|{_PRIVATE})",
    re.IGNORECASE | re.ASCII,
)


def is_well_formed(tag: str) -> bool:
    return _TAG.fullmatch(tag) is not None
