"""Lowercase labels for the wire enums, derived from their descriptors.

Deriving the labels keeps them in step with the proto: a value added there shows up here without a
hand-written table to forget. `ENTITY_TYPE_PERSON` becomes "person", `MATCH_KIND_TOKEN_REORDER`
becomes "token_reorder".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from entnorm.v1 import entnorm_service_pb2 as pb

if TYPE_CHECKING:
    from google.protobuf.internal.enum_type_wrapper import _EnumTypeWrapper

V = TypeVar("V", bound=int)


class EnumLabels(Generic[V]):
    """Two-way map between the numbers of one wire enum and their labels."""

    def __init__(self, enum: _EnumTypeWrapper[V]) -> None:
        descriptor = enum.DESCRIPTOR
        # By proto3 convention the zero value is `<PREFIX>_UNSPECIFIED`; it gives the prefix.
        prefix = descriptor.values_by_number[0].name.removesuffix("UNSPECIFIED")
        self._enum_name = descriptor.name
        self._numbers: dict[str, V] = {
            value.name.removeprefix(prefix).lower(): enum.Value(value.name)
            for value in descriptor.values
        }
        self._labels: dict[int, str] = {number: label for label, number in self._numbers.items()}

    def label(self, number: int) -> str:
        """The label of `number`; a number this client does not know (a newer server) as digits."""
        return self._labels.get(number, str(number))

    def number(self, label: str) -> V:
        """The number of `label`, case-insensitively; ValueError for an unknown label."""
        try:
            return self._numbers[label.lower()]
        except KeyError:
            known = ", ".join(self.choices())
            message = f"unknown {self._enum_name} {label!r}; expected one of: {known}"
            raise ValueError(message) from None

    def choices(self) -> list[str]:
        """The labels a caller may choose: all but the zero value."""
        return [label for number, label in self._labels.items() if number != 0]


ENTITY_TYPES = EnumLabels(pb.EntityType)
OUTCOMES = EnumLabels(pb.Outcome)
MATCH_KINDS = EnumLabels(pb.MatchKind)
ALIAS_KINDS = EnumLabels(pb.AliasKind)
ROUTE_SIDES = EnumLabels(pb.RouteSide)
ROUTE_STEP_KINDS = EnumLabels(pb.RouteStepKind)
ROUTE_MARKS = EnumLabels(pb.RouteMark)
CONTEXT_EVIDENCE_KINDS = EnumLabels(pb.ContextEvidenceKind)
