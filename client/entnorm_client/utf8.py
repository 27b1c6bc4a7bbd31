"""Text that cannot go on the wire, found before it is sent.

Python keeps bytes that are not UTF-8 (in argv, or a file read with surrogateescape) as lone
surrogates, and a JSON `\\ud800` escape makes one too; protobuf refuses to encode them.
"""

from __future__ import annotations

from dataclasses import dataclass

# surrogateescape turns byte 0xNN (0x80 to 0xff) into U+DCNN.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


@dataclass(frozen=True)
class NonUtf8:
    """The first character of a text that UTF-8 cannot encode."""

    what: str  # "byte 0xff" (a byte kept by surrogateescape) or "lone surrogate U+D800"
    column: int  # 1-based, in characters, as an editor counts

    def __str__(self) -> str:
        return f"{self.what} at column {self.column}"


def non_utf8(text: str) -> NonUtf8 | None:
    """Where `text` stops being UTF-8; None if all of it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code_point = ord(text[error.start])
        if code_point in _ESCAPED_BYTES:
            return NonUtf8(f"byte 0x{code_point - 0xDC00:02x}", error.start + 1)
        return NonUtf8(f"lone surrogate U+{code_point:04X}", error.start + 1)
    return None
