"""Validate wire requests and turn them into engine queries; every violation names its field."""

from __future__ import annotations

import re
from collections.abc import Sequence

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm_server import language_tags
from entnorm_server.annotation.documents import Settings
from entnorm_server.context import country_id
from entnorm_server.exc import FieldViolation, InvalidRequestError, echo
from entnorm_server.limits import (
    DEFAULT_ANNOTATE_CANDIDATES,
    MAX_CANDIDATES,
    MAX_CONTEXT_CHARS,
    MAX_CONTEXT_IDS,
    MAX_DOCUMENT_CHARS,
    MAX_ID_CHARS,
    MAX_IDS,
    MAX_LANGUAGE_CHARS,
    MAX_QUERIES,
    MAX_TEXT_CHARS,
)
from entnorm_server.model import EntityType
from entnorm_server.resolution import DEFAULT_MAX_CANDIDATES, Query, QueryContext
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
    types = _types(q.types, path, violations)
    _language(q.language, path, violations)
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
    context = (
        context_from_wire(q.context, f"{path}.context", violations)
        if q.HasField("context")
        else None
    )
    return Query(
        text=text,
        types=types,
        language=q.language,
        max_candidates=q.max_candidates or DEFAULT_MAX_CANDIDATES,
        threshold=threshold,
        context=context or None,
    )


def context_from_wire(
    c: pb.QueryContext, path: str, violations: list[FieldViolation]
) -> QueryContext:
    if len(c.entity_ids) > MAX_CONTEXT_IDS:
        violations.append(
            FieldViolation(
                f"{path}.entity_ids",
                f"must hold at most {MAX_CONTEXT_IDS} ids, got {len(c.entity_ids)}",
            )
        )
    else:
        for i, value in enumerate(c.entity_ids):
            violation = _id_violation(value, f"{path}.entity_ids[{i}]")
            if violation is not None:
                violations.append(violation)
    if len(c.text) > MAX_CONTEXT_CHARS:
        violations.append(
            FieldViolation(
                f"{path}.text",
                f"must be at most {MAX_CONTEXT_CHARS:,} characters, got {len(c.text):,}; send"
                " the sentence or paragraph around the name, or use AnnotateText for a document",
            )
        )
    country = c.country.strip()
    if country and not _COUNTRY.fullmatch(country_id(country)):
        violations.append(
            FieldViolation(
                f"{path}.country",
                f"{echo(c.country)} is not a country: give ISO 3166-1 alpha-2 (KR) or a country"
                " id (country:kr)",
            )
        )
    return QueryContext(tuple(c.entity_ids), c.text, country_id(country) if country else "")


_COUNTRY = re.compile(r"country:[a-z]{2}")


def document_from_wire(
    request: pb.AnnotateTextRequest, path: str = ""
) -> tuple[str, Settings, QueryContext | None]:
    """An AnnotateText request's text, settings and context, or INVALID_ARGUMENT naming fields."""
    prefix = f"{path}." if path else ""
    violations: list[FieldViolation] = []
    text = request.text
    if not text:
        violations.append(FieldViolation(f"{prefix}text", "must not be empty"))
    elif not text.strip():
        violations.append(FieldViolation(f"{prefix}text", "is only whitespace: send some words"))
    elif len(text) > MAX_DOCUMENT_CHARS:
        violations.append(
            FieldViolation(
                f"{prefix}text",
                f"must be at most {MAX_DOCUMENT_CHARS:,} characters, got {len(text):,}: split"
                " the document (at paragraph breaks) and send the parts",
            )
        )
    types = _types(request.types, prefix.rstrip("."), violations, field="types")
    _language(request.language, prefix.rstrip("."), violations)
    if not 0 <= request.max_candidates <= MAX_CANDIDATES:
        violations.append(
            FieldViolation(
                f"{prefix}max_candidates",
                f"must be 0 (default) to {MAX_CANDIDATES}, got {request.max_candidates}",
            )
        )
    context = None
    if request.HasField("context"):
        if request.context.text:
            violations.append(
                FieldViolation(
                    f"{prefix}context.text",
                    "must be empty: the document is its own context text",
                )
            )
        context = context_from_wire(request.context, f"{prefix}context", violations) or None
    if violations:
        raise InvalidRequestError("INVALID_DOCUMENT", violations)
    settings = Settings(
        types, request.language, request.max_candidates or DEFAULT_ANNOTATE_CANDIDATES
    )
    return text, settings, context


def _types(
    values: Sequence[int], path: str, violations: list[FieldViolation], field: str = "types"
) -> frozenset[EntityType]:
    where = f"{path}.{field}" if path else field
    types: set[EntityType] = set()
    if len(values) > len(EntityType):
        # Checked first: a packed field of millions of values would take seconds to read.
        violations.append(
            FieldViolation(where, f"must hold at most {len(EntityType)} types, got {len(values)}")
        )
        return frozenset()
    for j, value in enumerate(values):
        kind = entity_type_from_wire(value)
        if kind is None:
            violations.append(
                FieldViolation(f"{where}[{j}]", f"unknown or unspecified entity type {value}")
            )
        else:
            types.add(kind)
    return frozenset(types)


def _language(language: str, path: str, violations: list[FieldViolation]) -> None:
    where = f"{path}.language" if path else "language"
    if len(language) > MAX_LANGUAGE_CHARS:
        violations.append(
            FieldViolation(
                where, f"must be at most {MAX_LANGUAGE_CHARS} characters, got {len(language)}"
            )
        )
    elif language and not language_tags.is_well_formed(language):
        violations.append(
            FieldViolation(where, f"{echo(language)} is not a BCP-47 tag (e.g. ko, zh-Hans, uk)")
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
