"""entnorm client: resolve entity names against an entnorm server over gRPC.

from entnorm_client import EntnormClient

with EntnormClient("localhost:50051") as client:
    [resolution] = client.resolve(["Shen Yuanxi"])
    print(resolution.outcome, resolution.best)
"""

from entnorm_client.client import (
    DEFAULT_TARGET,
    DEFAULT_TIMEOUT,
    MAX_BATCH,
    MAX_BATCH_CHARS,
    EntnormClient,
)
from entnorm_client.enums import ENTITY_TYPES
from entnorm_client.errors import (
    DeadlineExceededError,
    EntnormError,
    FieldViolation,
    InvalidArgumentError,
    NotFoundError,
    ResourceExhaustedError,
    RevisionNotHeldError,
    ServerUnavailableError,
)
from entnorm_client.types import (
    AliasEntry,
    Annotation,
    Candidate,
    Context,
    ContextEvidence,
    DataRevision,
    Entity,
    Layer,
    LocalizedName,
    Mention,
    Query,
    QueryFailure,
    ReloadAttempt,
    Resolution,
    SourceFile,
)

__all__ = [
    "DEFAULT_TARGET",
    "DEFAULT_TIMEOUT",
    "ENTITY_TYPES",
    "MAX_BATCH",
    "MAX_BATCH_CHARS",
    "AliasEntry",
    "Annotation",
    "Candidate",
    "Context",
    "ContextEvidence",
    "DataRevision",
    "DeadlineExceededError",
    "Entity",
    "EntnormClient",
    "EntnormError",
    "FieldViolation",
    "InvalidArgumentError",
    "Layer",
    "LocalizedName",
    "Mention",
    "NotFoundError",
    "Query",
    "QueryFailure",
    "ReloadAttempt",
    "Resolution",
    "ResourceExhaustedError",
    "RevisionNotHeldError",
    "ServerUnavailableError",
    "SourceFile",
]
