"""The EntnormService servicer: validate, take one snapshot, answer, stamp the revision."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc
from entnorm_server import errors, requests, wire
from entnorm_server.exc import EntityNotFoundError, EntnormError, InvalidRequestError
from entnorm_server.resolver import Resolver
from entnorm_server.store import SnapshotStore


class EntnormService(pb_grpc.EntnormServiceServicer):
    def __init__(self, store: SnapshotStore, resolver: Resolver | None = None) -> None:
        self.store = store
        self.resolver = resolver or Resolver()

    def ResolveNames(  # noqa: N802 - name fixed by the generated base class
        self, request: pb.ResolveNamesRequest, context: grpc.ServicerContext
    ) -> pb.ResolveNamesResponse:
        try:
            queries = requests.queries_from_wire(request.queries)
            snapshot = self.store.current
        except EntnormError as error:
            errors.abort(context, error)
        resolutions = self.resolver.resolve_many(snapshot, queries)
        return pb.ResolveNamesResponse(
            resolutions=[wire.resolution_to_wire(r) for r in resolutions],
            revision=snapshot.revision,
        )

    def StreamResolveNames(  # noqa: N802
        self,
        request_iterator: Iterator[pb.StreamResolveNamesRequest],
        context: grpc.ServicerContext,
    ) -> Iterator[pb.StreamResolveNamesResponse]:
        for chunk in request_iterator:
            try:
                snapshot = self.store.current
            except EntnormError as error:
                errors.abort(context, error)
            try:
                queries = requests.queries_from_wire(chunk.queries)
            except InvalidRequestError as error:
                # A bad chunk is answered, not fatal: the pipeline keeps its stream.
                yield pb.StreamResolveNamesResponse(
                    chunk_id=chunk.chunk_id,
                    revision=snapshot.revision,
                    error=errors.chunk_error(error),
                )
                continue
            resolutions = self.resolver.resolve_many(snapshot, queries)
            yield pb.StreamResolveNamesResponse(
                chunk_id=chunk.chunk_id,
                resolutions=[wire.resolution_to_wire(r) for r in resolutions],
                revision=snapshot.revision,
            )

    def GetEntity(  # noqa: N802
        self, request: pb.GetEntityRequest, context: grpc.ServicerContext
    ) -> pb.GetEntityResponse:
        try:
            entity_id = requests.id_from_wire(request.id)
            snapshot = self.store.current
            entity = snapshot.by_id.get(entity_id)
            if entity is None:
                raise EntityNotFoundError([entity_id])
        except EntnormError as error:
            errors.abort(context, error)
        return pb.GetEntityResponse(entity=wire.entity_to_wire(entity), revision=snapshot.revision)

    def BatchGetEntities(  # noqa: N802
        self, request: pb.BatchGetEntitiesRequest, context: grpc.ServicerContext
    ) -> pb.BatchGetEntitiesResponse:
        try:
            ids = requests.ids_from_wire(request.ids)
            snapshot = self.store.current
            missing = [i for i in ids if i not in snapshot.by_id]
            if missing:
                raise EntityNotFoundError(missing)  # atomic: all or nothing (AIP-231)
        except EntnormError as error:
            errors.abort(context, error)
        return pb.BatchGetEntitiesResponse(
            entities=[wire.entity_to_wire(snapshot.by_id[i]) for i in ids],
            revision=snapshot.revision,
        )

    def GetDataRevision(  # noqa: N802
        self, request: pb.GetDataRevisionRequest, context: grpc.ServicerContext
    ) -> pb.GetDataRevisionResponse:
        try:
            snapshot = self.store.current
        except EntnormError as error:
            errors.abort(context, error)
        return pb.GetDataRevisionResponse(data_revision=wire.data_revision_to_wire(snapshot))
