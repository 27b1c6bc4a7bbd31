"""Requests decoded from their bytes by the servicer, so that a malformed one is answered clearly.

gRPC's own decoding fails the call with INTERNAL, and ends a stream, when a string field is not
UTF-8. Decoding here names the first such field by its path (`queries[3].text`) in an
INVALID_ARGUMENT, and lets a stream answer the bad chunk and go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from google.protobuf import empty_pb2
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import DecodeError, Message
from google.protobuf.unknown_fields import UnknownFieldSet

from entnorm_server.exc import FieldViolation, InvalidRequestError

M = TypeVar("M", bound=Message)


def decode(message_type: type[M], data: bytes) -> M:
    """The message in data; InvalidRequestError naming the field that is not UTF-8."""
    try:
        return message_type.FromString(data)
    except DecodeError:
        path = _not_utf8(_descriptor(message_type), data)
    if path is None:
        violation = FieldViolation(
            "", f"the request is not a valid {message_type.DESCRIPTOR.full_name} message"
        )
        raise InvalidRequestError("MALFORMED_REQUEST", [violation])
    violation = FieldViolation(path, "is not valid UTF-8; send text as UTF-8")
    raise InvalidRequestError("INVALID_UTF8", [violation])


def string_field(message_type: type[Message], data: bytes, name: str) -> str:
    """One top-level string field of a message that may not decode, bad bytes replaced."""
    number = _descriptor(message_type).fields_by_name[name].number
    for field in _fields(data):
        if field.field_number == number and isinstance(field.data, bytes):
            return field.data.decode("utf-8", errors="replace")
    return ""


def _not_utf8(descriptor: Descriptor, data: bytes, prefix: str = "") -> str | None:
    """The path of the first string field in data that is not UTF-8, if any."""
    seen: dict[int, int] = {}
    for field in _fields(data):
        spec = descriptor.fields_by_number.get(field.field_number)
        if spec is None or not isinstance(field.data, bytes):
            continue
        index = seen.get(field.field_number, 0)
        seen[field.field_number] = index + 1
        path = f"{prefix}{spec.name}"
        if spec.is_repeated:
            path += f"[{index}]"
        if spec.type == spec.TYPE_STRING:
            try:
                field.data.decode("utf-8")
            except UnicodeDecodeError:
                return path
        elif spec.message_type is not None:
            found = _not_utf8(spec.message_type, field.data, path + ".")
            if found is not None:
                return found
    return None


@dataclass(frozen=True, slots=True)
class _Part:
    field_number: int
    data: object  # bytes for strings and messages


def _fields(data: bytes) -> list[_Part]:
    """The top-level fields of any message, undecoded; none if data is not protobuf at all."""
    holder = empty_pb2.Empty()  # it keeps every field it does not know, as raw parts
    try:
        holder.ParseFromString(data)
    except DecodeError:
        return []
    parts = UnknownFieldSet(holder)
    return [_Part(parts[i].field_number, parts[i].data) for i in range(len(parts))]


def _descriptor(message_type: type[Message]) -> Descriptor:
    return message_type.DESCRIPTOR  # type: ignore[return-value]  # upb's own Descriptor class
