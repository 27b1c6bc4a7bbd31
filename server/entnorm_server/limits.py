"""Request limits of API v1 (documented in the .proto and docs/api.md)."""

MAX_QUERIES = 1000  # per ResolveNames request or stream chunk
MAX_TEXT_CHARS = 512  # per query text, after trimming
MAX_LANGUAGE_CHARS = 35  # RFC 5646 §4.4.1: the longest tag worth supporting
MAX_CANDIDATES = 50  # per query; 0 asks for the default
MAX_IDS = 1000  # per BatchGetEntities request
# Per message received. The largest valid request (1000 queries within the character budget) is
# well under 1 MiB; gRPC's default of 4 MiB let one call hold four times that.
# AnnotateText's documents set it now: 2 Mi code points may take 8 MiB of UTF-8.
MAX_MESSAGE_BYTES = 9 * 1024 * 1024
MAX_DOCUMENT_CHARS = 2 * 1024 * 1024  # per AnnotateText document, in code points
MAX_CONTEXT_IDS = 100  # per query context
MAX_CONTEXT_CHARS = 10_000  # per query context's text
DEFAULT_ANNOTATE_CANDIDATES = 3  # per mention
MAX_ID_CHARS = 256  # per entity id

# Error messages name the first few problems, then how many more: gRPC refuses trailers over 8 KiB.
MAX_REPORTED = 5
MAX_ECHOED_CHARS = 40  # of a caller's value quoted back in an error
