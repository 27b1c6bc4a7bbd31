"""The engine's own rule tables (data/*.yaml), each read once and checked against its model.

A rule table is data an editor of the engine changes (a script's readers, a transcription's
readings, a language's titles); a mistake in one fails at import with the file and the field,
never as a wrong answer mid-request.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

T = TypeVar("T")


class RuleTableError(ValueError):
    """A rule table that does not fit its model: the file and every problem in it."""


@cache
def _text(name: str) -> Any:
    path = resources.files("entnorm_server").joinpath(f"data/{name}")
    # YAML 1.2 (ruamel), where a Korean surname spelled No is a string, not false.
    return YAML(typ="safe").load(path.read_text("utf-8"))


def load(name: str, shape: type[T]) -> T:
    """data/`name` read as `shape`, a pydantic model."""
    try:
        value: T = TypeAdapter(shape).validate_python(_text(name))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'top'}: {e['msg']}" for e in error.errors()
        )
        raise RuleTableError(f"entnorm_server/data/{name}: {problems}") from None
    return value
