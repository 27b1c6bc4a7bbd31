"""Server reflection as both v1 and v1alpha; grpcio-reflection ships only v1alpha.

Reflection v1 is v1alpha renamed, message for message and field for field, so its descriptor is
v1alpha's with the package renamed and the v1alpha servicer answers both: the bytes are the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import FileDescriptor
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc

V1_SERVICE_NAME = "grpc.reflection.v1.ServerReflection"
_V1_FILE = "grpc/reflection/v1/reflection.proto"
_V1ALPHA_PREFIX = f".{reflection_pb2.DESCRIPTOR.package}."


def v1_descriptor() -> FileDescriptor:
    """The v1 reflection file, added to the default pool once, so reflection can describe it."""
    pool = descriptor_pool.Default()
    try:
        return pool.FindFileByName(_V1_FILE)
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name = _V1_FILE
    proto.package = V1_SERVICE_NAME.rsplit(".", 1)[0]
    proto.options.Clear()  # v1alpha's are marked deprecated and name its Java and Go packages
    for message in proto.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = _renamed(field.type_name)
    for method in proto.service[0].method:
        method.input_type = _renamed(method.input_type)
        method.output_type = _renamed(method.output_type)
    added: FileDescriptor = pool.AddSerializedFile(proto.SerializeToString())
    return added


def enable(server: grpc.aio.Server, service_names: Iterable[str]) -> None:
    v1_descriptor()
    names = (*service_names, reflection.SERVICE_NAME, V1_SERVICE_NAME)
    servicer = reflection.aio.ReflectionServicer(names)
    reflection_pb2_grpc.add_ServerReflectionServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
    v1 = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(V1_SERVICE_NAME, {"ServerReflectionInfo": v1}),)
    )


def _renamed(type_name: str) -> str:
    if type_name.startswith(_V1ALPHA_PREFIX):
        return f".{V1_SERVICE_NAME.rsplit('.', 1)[0]}.{type_name.removeprefix(_V1ALPHA_PREFIX)}"
    return type_name
