"""How the CLI reports failures: `entnorm: ...` lines on stderr and a documented exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any, ClassVar

import click

from entnorm_client.errors import (
    EntnormError,
    InvalidArgumentError,
    NotFoundError,
    ServerUnavailableError,
)
from entnorm_client.request_ids import with_request_id


class CliError(click.ClickException):
    """A failure shown as one `entnorm: <line>` per line, never as a traceback. Exit code 1."""

    exit_code: ClassVar[int] = 1

    def __init__(self, lines: str | Sequence[str]) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(f"entnorm: {line}", file=file, err=True)


class InvalidInputError(CliError):
    """The request or the input file is wrong; 2, as for click's usage errors."""

    exit_code = 2


class UnreachableError(CliError):
    """The server is down, unreachable or does not answer in time."""

    exit_code = 3


class UnknownIdError(CliError):
    """An entity id the server does not hold."""

    exit_code = 4


class NamesFailedError(CliError):
    """The server failed on some names (outcome "error"); the others were answered."""

    exit_code = 5


def cli_error(error: EntnormError) -> CliError:
    """The CLI failure for a client error; each line names the request id, if the server gave
    one, for finding the call in the server's log."""
    kind: type[CliError] = CliError
    lines = [str(error)]
    if isinstance(error, InvalidArgumentError):
        # One line per field, so each names what to fix.
        kind = InvalidInputError
        lines = [str(v) for v in error.field_violations] or [error.message]
    elif isinstance(error, ServerUnavailableError):
        kind = UnreachableError
    elif isinstance(error, NotFoundError):
        kind = UnknownIdError
    return kind([with_request_id(line, error.request_id) for line in lines])
