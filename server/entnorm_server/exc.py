"""One exception hierarchy for the engine; the servicer maps it to wire errors in one place."""

from __future__ import annotations

from dataclasses import dataclass

from entnorm_server.model import Location


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
    """The tables have problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line))
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the alias tables:\n{lines}")


@dataclass(frozen=True, slots=True)
class FieldViolation:
    field: str  # a path such as `queries[3].text`
    description: str


class InvalidRequestError(EntnormError):
    def __init__(self, reason: str, violations: list[FieldViolation]) -> None:
        self.reason = reason
        self.violations = violations
        super().__init__("; ".join(f"{v.field}: {v.description}" for v in violations))


class EntityNotFoundError(EntnormError):
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(f"no entity with id {', '.join(repr(i) for i in ids)}")


class NotReadyError(EntnormError):
    """No snapshot is loaded yet."""
