"""Request limits of API v1 (documented in the .proto and docs/api.md)."""

MAX_QUERIES = 1000  # per ResolveNames request or stream chunk
MAX_TEXT_CHARS = 512  # per query text, after trimming
MAX_LANGUAGE_CHARS = 35  # RFC 5646 §4.4.1: the longest tag worth supporting
MAX_CANDIDATES = 50  # per query; 0 asks for the default
MAX_IDS = 1000  # per BatchGetEntities request
# Per message received. The largest valid request (1000 queries within the character budget) is
# well under 1 MiB; gRPC's default of 4 MiB let one call hold four times that.
MAX_MESSAGE_BYTES = 1024 * 1024
MAX_ID_CHARS = 256  # per entity id

# Error messages name the first few problems, then how many more: gRPC refuses trailers over 8 KiB.
MAX_REPORTED = 5
MAX_ECHOED_CHARS = 40  # of a caller's value quoted back in an error
