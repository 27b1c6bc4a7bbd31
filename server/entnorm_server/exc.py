"""One exception hierarchy for the engine; the servicer maps it to wire errors in one place."""

from __future__ import annotations

from dataclasses import dataclass

from entnorm_server.limits import MAX_ECHOED_CHARS, MAX_REPORTED
from entnorm_server.model import AliasTables, Location


class EntnormError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the alias tables, with where it is and what to fix."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class AliasLoadError(EntnormError):
    """The tables have problems; nothing was loaded. `partial` holds the entities that did read,
    for lint's other checks (the server serves none of them)."""

    def __init__(self, problems: list[Problem], partial: AliasTables | None = None) -> None:
        self.partial = partial
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line))
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the alias tables:\n{lines}")


@dataclass(frozen=True, slots=True)
class FieldViolation:
    field: str  # a path such as `queries[3].text`; empty for the request as a whole
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}" if self.field else self.description


def first_few(items: list[str], sep: str = "; ") -> str:
    """The first MAX_REPORTED items, then how many more: an error stays small however bad."""
    shown = sep.join(items[:MAX_REPORTED])
    more = len(items) - MAX_REPORTED
    return f"{shown}{sep}and {more} more" if more > 0 else shown


def echo(value: str) -> str:
    """A caller's value quoted back, cut short: the caller sent it and needs only to spot it."""
    if len(value) <= MAX_ECHOED_CHARS:
        return repr(value)
    return f"{value[:MAX_ECHOED_CHARS]!r}… ({len(value)} characters)"


class InvalidRequestError(EntnormError):
    def __init__(self, reason: str, violations: list[FieldViolation]) -> None:
        self.reason = reason
        self.violations = violations
        super().__init__(first_few([str(v) for v in violations]))


class EntityNotFoundError(EntnormError):
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(f"no entity with id {first_few([echo(i) for i in ids], ', ')}")


class NotReadyError(EntnormError):
    """No snapshot is loaded yet."""


class RevisionNotHeldError(EntnormError):
    """A request pinned a data revision the server no longer holds (or never had)."""

    def __init__(self, revision: str, held: list[str]) -> None:
        self.revision = revision
        self.held = held
        super().__init__(
            f"revision {echo(revision)} is not held by this server; it holds"
            f" {', '.join(held) or 'none'} (the first is the one it serves): pin one of them,"
            " or send no revision for the one it serves"
        )


class ResourceExhaustedError(EntnormError):
    """The call asks more than the server gives one call, or more than it has free right now.

    `retry_after` is set only when waiting helps (the server is busy, not the call too big).
    """

    def __init__(self, reason: str, message: str, retry_after: float | None = None) -> None:
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(message)


class StreamIdleError(EntnormError):
    """A stream sent nothing, or read nothing, for the server's idle limit: closed to free its
    slot."""

    def __init__(self, seconds: float, *, reading: bool = True) -> None:
        self.seconds = seconds
        what = "no chunk came" if reading else "no answer was read"
        super().__init__(
            f"{what} for {seconds:g} s: the server closed this idle stream;"
            " open a new one when there is work"
        )


class CallAbandonedError(EntnormError):
    """Work stopped unfinished: the caller's deadline passed, or the server is stopping."""

    def __init__(self, stopping: bool = False) -> None:
        self.stopping = stopping
        super().__init__(
            "the server is stopping; send the call again, to another replica if there is one"
            if stopping
            else "the call's deadline passed before its answer was ready; send fewer names per"
            " call or give it a longer deadline"
        )
