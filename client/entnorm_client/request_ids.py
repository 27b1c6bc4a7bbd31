"""Request ids: the caller's own sent as `x-request-id`, the server's read back from a call.

The server writes the id into every log line of the call and returns it in the trailing
metadata, on success and on failure alike, so an id from an error finds the server's account.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

REQUEST_ID_KEY = "x-request-id"
# The server uses an id only if it looks like this; any other it replaces with its own.
_USABLE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
USABLE_DESCRIPTION = "1 to 64 characters of A-Z, a-z, 0-9 and . _ : -"

Metadata = tuple[tuple[str, str], ...]


def request_metadata(request_id: str | None) -> Metadata | None:
    """The metadata that sends `request_id`; ValueError for an id the server would not use."""
    if request_id is None:
        return None
    # Fail at the call: a replaced id would not find the caller's log lines.
    if not _USABLE.fullmatch(request_id):
        raise ValueError(f"request_id must be {USABLE_DESCRIPTION}, not {request_id!r}")
    return ((REQUEST_ID_KEY, request_id),)


def metadata_value(metadata: Sequence[tuple[str, str | bytes]] | None, key: str) -> str:
    """The text value of `key` in a call's metadata; "" when absent."""
    for name, value in metadata or ():
        if name == key and isinstance(value, str):
            return value
    return ""


def with_request_id(text: str, request_id: str) -> str:
    """`text (request id ID)`, unless there is no id or the text names it already."""
    if not request_id or request_id in text:
        return text
    return f"{text} (request id {request_id})"
