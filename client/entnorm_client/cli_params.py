"""Checks of command-line values that click's types do not make, each failing in one line.

They run as click callbacks, so a bad value stops the command before anything is sent.
"""

from __future__ import annotations

from typing import TypeVar

import click

from entnorm_client.cli_errors import InvalidInputError
from entnorm_client.request_ids import USABLE_DESCRIPTION, request_metadata
from entnorm_client.utf8 import non_utf8

V = TypeVar("V", str, tuple[str, ...], None)

# Names for a tab, which a shell makes awkward to type.
_TAB_NAMES = {"\\t": "\t", "tab": "\t"}


def utf8_text(ctx: click.Context, param: click.Parameter, value: V) -> V:
    """Refuse text that is not UTF-8: argv keeps such bytes as lone surrogates, which cannot be
    sent, and would fail deep in protobuf with a traceback."""
    values = value if isinstance(value, tuple) else (value,)
    for position, text in enumerate(values, start=1):
        problem = non_utf8(text) if text is not None else None
        if problem is not None:
            which = f" (value {position})" if len(values) > 1 else ""
            raise InvalidInputError(f"{_name(param)}{which}: not UTF-8 text ({problem})")
    return value


def delimiter(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """One character that splits the fields; `tab` or `\\t` for a tab."""
    if value is None:
        return None
    character = _TAB_NAMES.get(value.lower(), value)
    if len(character) != 1 or character in '\r\n"':
        raise InvalidInputError(
            f"{_name(param)}: expected one character other than a quote or a line break"
            f" (e.g. ';', or tab), not {value!r}"
        )
    return character


def request_id(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An id the server will use as is, so that the caller can find the call in its log."""
    if value is not None:
        try:
            request_metadata(value)
        except ValueError:
            raise InvalidInputError(
                f"{_name(param)}: expected {USABLE_DESCRIPTION}, not {value!r}"
            ) from None
    return value


def _name(param: click.Parameter) -> str:
    # An option by its flag (--lang), an argument by its metavar (NAMES).
    if isinstance(param, click.Option):
        return param.opts[0]
    return param.human_readable_name
