"""Golden cases: what a data directory's tables must answer, checked in process.

Editors keep them in `golden/*.yaml` beside the tables (the table loader passes that folder
over). `entnorm check` runs every case against the tables as they are on disk, without a server,
and names each failure at its file and line with the answer and its explanation.

    cases:
      - {query: Shen Yuanxi, expect: person:shin-won-sik}
      - {query: Kim Tae-hyung, outcome: ambiguous, among: [person:kim-tae-hyo]}
      - {query: Kursk, language: en, types: [place], expect: place:kursk}
      - {query: Kim Tae-hyung, context: {ids: [org:kr-national-security-office]},
         expect: person:kim-tae-hyo}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from entnorm_server.annotation.documents import resolve_in_context
from entnorm_server.context import country_id
from entnorm_server.exc import Problem
from entnorm_server.model import EntityType, Location
from entnorm_server.resolution import Outcome, Query, QueryContext, Resolution
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot
from entnorm_server.table_files import GOLDEN_DIR, TABLE_SUFFIXES


class CaseContext(BaseModel):
    """What is known around a case's query, as a caller gives it (docs/annotation.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ids: tuple[str, ...] = ()
    text: str = ""
    country: str = ""

    def of(self) -> QueryContext:
        return QueryContext(self.ids, self.text, country_id(self.country) if self.country else "")


class GoldenCase(BaseModel):
    """One query and what it must get: `expect` an id it resolves to, or an `outcome` (and the
    ids that must be `among` the candidates)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str = Field(min_length=1)
    language: str = ""
    types: tuple[EntityType, ...] = ()
    expect: str | None = None
    outcome: Literal["resolved", "ambiguous", "unresolved"] | None = None
    among: tuple[str, ...] = ()
    context: CaseContext | None = None
    note: str = ""

    @model_validator(mode="after")
    def _says_what_is_expected(self) -> Self:
        if self.expect is None and self.outcome is None:
            raise ValueError("say what is expected: `expect: ID` or `outcome: ...`")
        if self.expect is not None and self.outcome not in (None, "resolved"):
            raise ValueError("`expect: ID` means resolved to it; use `among` for other outcomes")
        if self.outcome == "unresolved" and self.among:
            raise ValueError("an unresolved query has no candidates to be `among`")
        return self

    @property
    def wanted_outcome(self) -> Outcome:
        return Outcome(self.outcome or "resolved")

    def query_of(self) -> Query:
        context = self.context.of() if self.context else None
        return Query(
            self.query, types=frozenset(self.types), language=self.language, context=context
        )


@dataclass(frozen=True, slots=True)
class LocatedCase:
    case: GoldenCase
    location: Location


@dataclass(frozen=True, slots=True)
class Failure:
    located: LocatedCase
    resolution: Resolution
    why: str

    def __str__(self) -> str:
        case, answer = self.located.case, self.resolution
        best = answer.candidates[0] if answer.candidates else None
        got = answer.outcome.value.upper()
        if best is not None:
            got += f" {best.entity.id} ({best.score:.3f}): {best.explanation}"
        return f"{self.located.location}: {case.query!r}: {self.why}; got {got}"


def case_files(root: Path) -> list[Path]:
    folder = root / GOLDEN_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in TABLE_SUFFIXES)


def load_cases(root: Path) -> tuple[list[LocatedCase], list[Problem]]:
    """Every case of root's golden folder, with its place, and a problem for each case (or file)
    that is not one: a bad case is named at its line, and the others still run."""
    cases: list[LocatedCase] = []
    problems: list[Problem] = []
    for path in case_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError) as error:
            problems.append(Problem(Location(rel, _line_of_error(error)), str(error).strip()))
            continue
        items = data.get("cases") if isinstance(data, dict) else None
        if not isinstance(items, CommentedSeq) or set(data) != {"cases"}:
            problems.append(Problem(Location(rel, 1), "a case file holds `cases:`, a list"))
            continue
        for index, item in enumerate(items):
            line, column = items.lc.item(index)
            where = Location(rel, line + 1, column + 1)
            try:
                cases.append(LocatedCase(GoldenCase.model_validate(item), where))
            except ValidationError as error:
                problems += [
                    Problem(where, f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}")
                    for e in error.errors()
                ]
    return cases, problems


def _line_of_error(error: Exception) -> int:
    mark = getattr(error, "problem_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def failures(
    snapshot: Snapshot, cases: Sequence[LocatedCase], resolver: Resolver | None = None
) -> Iterator[Failure]:
    """The cases whose answer is not what they expect."""
    resolver = resolver or Resolver()
    for located in cases:
        case = located.case
        answer = resolve_in_context(snapshot, resolver, case.query_of())
        why = _wrong(case, answer)
        if why:
            yield Failure(located, answer, why)


def _wrong(case: GoldenCase, answer: Resolution) -> str:
    ids = [c.entity.id for c in answer.candidates]
    if answer.outcome is not case.wanted_outcome:
        wanted = case.wanted_outcome.value
        return f"expected {wanted}" + (f" to {case.expect}" if case.expect else "")
    if case.expect is not None and ids[:1] != [case.expect]:
        return f"expected resolved to {case.expect}"
    missing = [i for i in case.among if i not in ids]
    if missing:
        return f"expected {', '.join(missing)} among the candidates"
    return ""
