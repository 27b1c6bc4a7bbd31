"""Validate wire requests and turn them into engine queries; every violation names its field."""

from __future__ import annotations

from collections.abc import Sequence

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server import language_tags
from entnorm_server.exc import FieldViolation, InvalidRequestError, echo
from entnorm_server.limits import (
    MAX_CANDIDATES,
    MAX_ID_CHARS,
    MAX_IDS,
    MAX_LANGUAGE_CHARS,
    MAX_QUERIES,
    MAX_TEXT_CHARS,
)
from entnorm_server.model import EntityType
from entnorm_server.resolution import DEFAULT_MAX_CANDIDATES, Query
from entnorm_server.wire import entity_type_from_wire


def queries_from_wire(queries: Sequence[pb.NameQuery], *, in_stream: bool = False) -> list[Query]:
    if not 1 <= len(queries) <= MAX_QUERIES:
        hint = (
            "split larger chunks" if in_stream else "split larger batches or use StreamResolveNames"
        )
        where = "chunk" if in_stream else "request"
        violation = FieldViolation(
            "queries", f"send 1 to {MAX_QUERIES} queries per {where}, got {len(queries)}; {hint}"
        )
        raise InvalidRequestError("BATCH_SIZE_OUT_OF_RANGE", [violation])
    violations: list[FieldViolation] = []
    result = [_query(q, f"queries[{i}]", violations) for i, q in enumerate(queries)]
    if violations:
        raise InvalidRequestError("INVALID_QUERY", violations)
    return result


def _query(q: pb.NameQuery, path: str, violations: list[FieldViolation]) -> Query:
    text = q.text.strip()
    if not text:
        violations.append(FieldViolation(f"{path}.text", "must not be empty"))
    elif len(text) > MAX_TEXT_CHARS:
        violations.append(
            FieldViolation(
                f"{path}.text", f"must be at most {MAX_TEXT_CHARS} characters, got {len(text)}"
            )
        )
    types: set[EntityType] = set()
    if len(q.types) > len(EntityType):
        # Checked first: a packed field of millions of values would take seconds to read.
        violations.append(
            FieldViolation(
                f"{path}.types", f"must hold at most {len(EntityType)} types, got {len(q.types)}"
            )
        )
    for j, value in enumerate(q.types if len(q.types) <= len(EntityType) else ()):
        kind = entity_type_from_wire(value)
        if kind is None:
            violations.append(
                FieldViolation(f"{path}.types[{j}]", f"unknown or unspecified entity type {value}")
            )
        else:
            types.add(kind)
    if len(q.language) > MAX_LANGUAGE_CHARS:
        violations.append(
            FieldViolation(
                f"{path}.language",
                f"must be at most {MAX_LANGUAGE_CHARS} characters, got {len(q.language)}",
            )
        )
    elif q.language and not language_tags.is_well_formed(q.language):
        violations.append(
            FieldViolation(
                f"{path}.language",
                f"{echo(q.language)} is not a BCP-47 tag (e.g. ko, zh-Hans, uk)",
            )
        )
    if not 0 <= q.max_candidates <= MAX_CANDIDATES:
        violations.append(
            FieldViolation(
                f"{path}.max_candidates",
                f"must be 0 (default) to {MAX_CANDIDATES}, got {q.max_candidates}",
            )
        )
    threshold = q.threshold if q.HasField("threshold") else None
    if threshold is not None and not 0.0 < threshold <= 1.0:
        violations.append(
            FieldViolation(f"{path}.threshold", f"must be in (0, 1], got {threshold}")
        )
    return Query(
        text=text,
        types=frozenset(types),
        language=q.language,
        max_candidates=q.max_candidates or DEFAULT_MAX_CANDIDATES,
        threshold=threshold,
    )


def ids_from_wire(ids: Sequence[str]) -> list[str]:
    if not 1 <= len(ids) <= MAX_IDS:
        raise InvalidRequestError(
            "BATCH_SIZE_OUT_OF_RANGE",
            [FieldViolation("ids", f"send 1 to {MAX_IDS} ids per request, got {len(ids)}")],
        )
    violations = [
        violation for i, v in enumerate(ids) if (violation := _id_violation(v, f"ids[{i}]"))
    ]
    if violations:
        raise InvalidRequestError("INVALID_ID", violations)
    return list(ids)


def id_from_wire(value: str) -> str:
    violation = _id_violation(value, "id")
    if violation is not None:
        raise InvalidRequestError("INVALID_ID", [violation])
    return value


def _id_violation(value: str, path: str) -> FieldViolation | None:
    if not value:
        return FieldViolation(path, "must not be empty")
    if len(value) > MAX_ID_CHARS:
        return FieldViolation(path, f"must be at most {MAX_ID_CHARS} characters, got {len(value)}")
    return None
