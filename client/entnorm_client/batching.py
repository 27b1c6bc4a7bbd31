"""How queries are split into requests and stream chunks that the server takes whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from entnorm.v1 import entnorm_service_pb2 as pb

# The server's limit of queries per request or chunk, and of ids per BatchGetEntities.
MAX_BATCH = 1000
# The server's default limit of query text per request or chunk, in characters (its
# ENTNORM_MAX_REQUEST_CHARS); past it, RESOURCE_EXHAUSTED with reason REQUEST_TOO_COSTLY.
MAX_BATCH_CHARS = 50_000


def batches(
    queries: Iterable[pb.NameQuery], max_count: int, max_chars: int
) -> Iterator[list[pb.NameQuery]]:
    """The queries in order, in runs of at most `max_count` queries and `max_chars` characters of
    text; a query longer than `max_chars` goes alone (the server says what is wrong with it).

    Lazy: a run is yielded as soon as it is full, so a slow input is not held back for one more.
    """
    batch: list[pb.NameQuery] = []
    chars = 0
    for query in queries:
        size = len(query.text)
        if batch and chars + size > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(query)
        chars += size
        if len(batch) >= max_count or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch
