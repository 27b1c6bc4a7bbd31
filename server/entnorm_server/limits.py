"""Request limits of API v1 (documented in the .proto and docs/api.md)."""

MAX_QUERIES = 1000  # per ResolveNames request or stream chunk
MAX_TEXT_CHARS = 512  # per query text, after trimming
MAX_CANDIDATES = 50  # per query; 0 asks for the default
MAX_IDS = 1000  # per BatchGetEntities request
