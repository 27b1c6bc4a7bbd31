"""The call being answered: its request id, and what the access log says of it.

The id comes from the caller's `x-request-id` metadata when it sends a usable one, else it is
made here. It goes back in the call's trailing metadata and into every log line of the call, so
that an id a client reports finds its lines in the server log.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID_KEY = "x-request-id"
_USABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(eq=False)
class Call:
    request_id: str
    method: str
    names: int = 0  # names resolved, for the access log


_current: ContextVar[Call | None] = ContextVar("entnorm_call", default=None)


def current() -> Call | None:
    return _current.get()


def current_request_id() -> str:
    call = _current.get()
    return call.request_id if call is not None else ""


def enter(call: Call) -> object:
    """Make call the current one in this task; returns the token that `leave` takes."""
    return _current.set(call)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def request_id_from(metadata: Iterable[tuple[str, str | bytes]] | None) -> str:
    """The caller's request id if it is short and plain, else a new one."""
    for key, value in metadata or ():
        if key == REQUEST_ID_KEY and isinstance(value, str) and _USABLE_ID.fullmatch(value):
            return value
    return secrets.token_hex(8)
