"""The value of a YAML scalar, resolved by YAML 1.2 as ruamel.yaml resolves it.

A plain scalar is a string unless it spells a null, a bool, a number or a timestamp in YAML 1.2
(so `no` and `on` are strings, and `012` is 12); a quoted one is always a string. The patterns
are ruamel.yaml's, so that a table reads the same values as it did with ruamel.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

CORE_TAG = "tag:yaml.org,2002:"


class Merge:
    """The merge key `<<`: its mappings fill in the keys a mapping lacks."""

    def __repr__(self) -> str:
        return "<<"


MERGE = Merge()


class UnsupportedTagError(Exception):
    """A scalar carries a tag this reader does not construct."""


_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_TIMESTAMP = re.compile(
    r"""^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})
    (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9]{1,2})(?::(?P<tz_minute>[0-9]{2}))?))?
    )?$""",
    re.X,
)
_NUMERIC_START = frozenset("-+.0123456789")
# The first characters of the plain scalars that may be something else than a string ("" is
# the empty scalar, a null).
MAY_NOT_BE_STRING = frozenset({"", *"tTfFnN~<"}) | _NUMERIC_START


def scalar(value: str, tag: str | None, plain: bool) -> Any:
    """The value of a scalar with its explicit tag (None or "!" when it has none)."""
    if tag is None or tag == "!":
        if not plain or tag == "!" or value[:1] not in MAY_NOT_BE_STRING:
            return value
        return _resolve_plain(value)
    if tag.startswith(CORE_TAG):
        construct = _CONSTRUCTORS.get(tag[len(CORE_TAG) :])
        if construct is not None:
            return construct(value)
    raise UnsupportedTagError(tag)


def _resolve_plain(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value == "<<":
        return MERGE
    if value[0] in _NUMERIC_START:
        if _FLOAT.match(value):
            return _float(value)
        if _INT.match(value):
            return _int(value)
        if len(value) >= 8 and (stamp := _timestamp(value)) is not None:
            return stamp
    return value


def _int(value: str) -> Any:
    digits = value.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2])
    try:
        return sign * (int(digits[2:], base) if base else int(digits))
    except ValueError:
        return value  # "_" alone: ruamel.yaml fails on it; a string says more


def _float(value: str) -> Any:
    number = value.replace("_", "").lower()
    if number.endswith(".nan"):
        return math.nan
    if number.endswith(".inf"):
        return -math.inf if number.startswith("-") else math.inf
    try:
        return float(number)
    except ValueError:
        return value


def _timestamp(value: str) -> date | None:
    """A date or a date and time, or None when value is no timestamp (or an impossible one)."""
    found = _TIMESTAMP.match(value)
    if found is None:
        return None
    part = found.groupdict()
    try:
        day = date(int(part["year"]), int(part["month"]), int(part["day"]))
        if part["hour"] is None:
            # a date alone is written with two-digit month and day
            return day if len(part["month"]) == len(part["day"]) == 2 else None
        fraction = (part["fraction"] or "")[:6].ljust(6, "0")
        stamp = datetime(
            day.year,
            day.month,
            day.day,
            int(part["hour"]),
            int(part["minute"]),
            int(part["second"]),
            int(fraction),
        )
    except ValueError:
        return None
    if part["tz"] == "Z":
        return stamp.replace(tzinfo=UTC)
    if part["tz"]:
        offset = timedelta(hours=int(part["tz_hour"]), minutes=int(part["tz_minute"] or 0))
        return stamp.replace(tzinfo=timezone(-offset if part["tz_sign"] == "-" else offset))
    return stamp


def _tagged_bool(value: str) -> Any:
    return _BOOLS.get(value, value)


def _tagged_null(value: str) -> Any:
    return None if value in _NULLS else value


def _tagged_timestamp(value: str) -> Any:
    stamp = _timestamp(value)
    return value if stamp is None else stamp


_CONSTRUCTORS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": _int,
    "float": _float,
    "bool": _tagged_bool,
    "null": _tagged_null,
    "timestamp": _tagged_timestamp,
}
