"""Read one YAML table into plain dicts and lists that remember where each value starts.

libyaml (PyYAML's C parser) reads the events; `_Builder` turns them into `MarkedMap` and
`MarkedList` values with 1-based line and column marks, the marks ruamel.yaml's round-trip loader
gave, and the values it read (`yaml_scalars`). ruamel.yaml, in pure Python and some twenty times
slower, reads a file only where libyaml cannot say what ruamel.yaml would: the wording and
place of a syntax error, and text with characters that YAML 1.1 (libyaml) takes for line breaks
and YAML 1.2 (ruamel.yaml) does not.

Problems come back as (line, column, message); nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Any, NoReturn

import yaml
from ruamel.yaml import YAML
from ruamel.yaml import events as ruamel_events
from ruamel.yaml.error import YAMLError as RuamelYAMLError

from entnorm_server.yaml_scalars import MAY_NOT_BE_STRING, MERGE, UnsupportedTagError, scalar

Mark = tuple[int, int]  # 1-based line and column
ReadProblem = tuple[int, int, str]  # line, column, message

# No table nests anywhere near this deep. Deeper nesting is refused, not read: libyaml's own
# composer crashes the process on it, and repr() of such a value fails.
MAX_DEPTH = 100
_YAML_11_BREAKS = ("\x85", "\u2028", "\u2029")
# The characters a YAML stream may hold (YAML 1.2, 5.1), as ruamel.yaml's reader checks them.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile("\r\n|\r|\n")
# libyaml's parser; a PyYAML built without libyaml has the same parser in Python.
_Parser: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class MarkedMap(dict[Any, Any]):
    """A YAML mapping; `key_at[k]` and `value_at[k]` say where key k and its value start."""

    __slots__ = ("key_at", "start", "value_at")

    def __init__(self, start: Mark) -> None:
        super().__init__()
        self.start = start
        self.key_at: dict[Any, Mark] = {}
        self.value_at: dict[Any, Mark] = {}


class MarkedList(list[Any]):
    """A YAML sequence; `item_at[i]` says where item i starts."""

    __slots__ = ("item_at", "start")

    def __init__(self, start: Mark) -> None:
        super().__init__()
        self.start = start
        self.item_at: list[Mark] = []


def read(data: bytes) -> tuple[Any, list[ReadProblem]]:
    """The YAML document in data (None when empty), and the problems that kept it from loading."""
    text = _decode(data)
    if isinstance(text, tuple):
        return None, [text]
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = _mark_of(text, bad.start())
        message = f"unacceptable character U+{ord(bad.group()):04X}: YAML allows no control"
        return None, [(line, column, f"{message} characters; remove it")]
    if any(ch in text for ch in _YAML_11_BREAKS):
        return _read_with_ruamel(text, None)
    parser = _Parser(text)
    try:
        return _Builder(len(text)).build(iter(parser.get_event, None))  # None after the end
    except yaml.YAMLError as error:
        return _read_with_ruamel(text, error)
    finally:
        parser.dispose()


def _decode(data: bytes) -> str | ReadProblem:
    """UTF-8 text without a byte-order mark; a UTF-16 file with one is read too, as before."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    codec = "utf-16" if utf16 else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(codec)  # decodes: the error is the first bad byte
        line, column = _mark_of(before, len(before))
        name = "UTF-16" if utf16 else "UTF-8"
        return (
            line,
            column,
            f"not {name} text: byte 0x{data[error.start]:02x} cannot be read ({error.reason});"
            " save the file as UTF-8",
        )


def _mark_of(text: str, offset: int) -> Mark:
    """The 1-based line and column of text[offset], counting line breaks as YAML does."""
    line, start = 1, 0
    for found in _LINE_BREAK.finditer(text, 0, offset):
        line, start = line + 1, found.end()
    return line, offset - start + 1


def _read_with_ruamel(
    text: str, libyaml_error: yaml.YAMLError | None
) -> tuple[Any, list[ReadProblem]]:
    """Read with ruamel.yaml: for its report of a syntax error, or where libyaml reads otherwise.

    Where ruamel.yaml finds no error that libyaml found, it reads the file; where it fails in a
    way that names no place (it asserts on `%YAML 1.3`), libyaml's report stands.
    """
    try:
        return _Builder(len(text)).build(YAML(typ="rt").parse(text))
    except (RuamelYAMLError, AssertionError) as error:
        found = _syntax_problem(error)
        if found is None and libyaml_error is not None:
            found = _syntax_problem(libyaml_error)
        return None, [found or (1, 1, f"YAML syntax: {error}".rstrip())]


def _syntax_problem(error: Exception) -> ReadProblem | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return None
    context, problem = getattr(error, "context", None), getattr(error, "problem", None)
    what = " ".join(p for p in (context, problem) if p)
    return mark.line + 1, mark.column + 1, f"YAML syntax: {what}"


# --- events to marked values -------------------------------------------------------------------

SCALAR, ALIAS, SEQUENCE, MAPPING, END, DOCUMENT, OTHER = range(7)
_KINDS: dict[type, int] = {}  # libyaml's and ruamel.yaml's event classes
for _events in (yaml.events, ruamel_events):
    _KINDS.update(
        {
            _events.ScalarEvent: SCALAR,
            _events.AliasEvent: ALIAS,
            _events.SequenceStartEvent: SEQUENCE,
            _events.MappingStartEvent: MAPPING,
            _events.SequenceEndEvent: END,
            _events.MappingEndEvent: END,
            _events.DocumentStartEvent: DOCUMENT,
        }
    )
_NO_KEY = object()
_OPEN = object()  # an anchored collection still being read


class _Open:
    """A collection being read, with the key whose value comes next (mappings)."""

    __slots__ = ("anchor", "key", "key_at", "merges", "value")

    def __init__(self, value: MarkedMap | MarkedList, anchor: str | None) -> None:
        self.value = value
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_at: Mark = (0, 0)
        self.merges: list[tuple[MarkedMap, Mark]] | None = None


class _StopReadingError(Exception):
    """The document cannot be read further; the problem is recorded."""


class _Builder:
    def __init__(self, characters: int) -> None:
        self.problems: list[ReadProblem] = []
        self.anchors: dict[str, Any] = {}  # name -> (value, mark), or _OPEN
        self.stack: list[_Open] = []
        self.root: Any = None
        # Aliases may repeat values, but not more of them than the text has characters: a few
        # lines of nested aliases would otherwise make billions.
        self.budget = characters
        self.sizes: dict[int, int] = {}  # id of an aliased collection -> values in it

    def build(self, events: Iterable[Any]) -> tuple[Any, list[ReadProblem]]:
        try:
            self._consume(events)
        except _StopReadingError:
            return None, self.problems
        return self.root, self.problems

    def _consume(self, events: Iterable[Any]) -> None:
        # The hot loop, written out: a plain string goes straight into a list or a mapping,
        # a collection without tag or anchor opens and closes here.
        kinds, stack, special = _KINDS, self.stack, MAY_NOT_BE_STRING
        documents = 0
        for event in events:
            kind = kinds.get(type(event), OTHER)
            if kind == SCALAR:
                start = event.start_mark
                at = (start.line + 1, start.column + 1)
                value = event.value
                if (
                    event.tag is not None
                    or event.anchor is not None
                    or (event.implicit[0] and value[:1] in special)
                ):
                    value = self._scalar(event, at)
                if not stack:
                    self.root = value
                    continue
                top = stack[-1]
                into = top.value
                key = top.key
                if isinstance(into, MarkedList):
                    into.append(value)
                    into.item_at.append(at)
                elif key is _NO_KEY and type(value) is str:
                    top.key, top.key_at = value, at
                elif type(key) is str and key not in into and value is not MERGE:
                    into[key] = value
                    into.key_at[key] = top.key_at
                    into.value_at[key] = at
                    top.key = _NO_KEY
                else:
                    self._place(value, at)
            elif kind == END:
                done = stack.pop()
                if done.merges or done.anchor:
                    self._finish(done)
                self._place(done.value, done.value.start)
            elif kind in (MAPPING, SEQUENCE):
                start = event.start_mark
                at = (start.line + 1, start.column + 1)
                if event.tag is not None or event.anchor is not None or len(stack) >= MAX_DEPTH:
                    self._check_open(event, kind, at)
                stack.append(
                    _Open(MarkedMap(at) if kind == MAPPING else MarkedList(at), event.anchor)
                )
            elif kind == ALIAS:
                self._alias(event)
            elif kind == DOCUMENT:
                documents += 1
                if documents > 1:
                    self._stop(
                        _mark(event),
                        "YAML syntax: expected a single document in the stream but found"
                        " another document",
                    )

    def _scalar(self, event: Any, at: Mark) -> Any:
        try:
            value = scalar(event.value, event.tag, event.implicit[0])
        except UnsupportedTagError:
            self._unsupported(event.tag, at)
            value = event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, at)
        return value

    def _check_open(self, event: Any, kind: int, at: Mark) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self._stop(at, f"YAML: nested deeper than {MAX_DEPTH} levels")
        tag = event.tag
        if tag not in (None, "!", "tag:yaml.org,2002:" + ("map" if kind == MAPPING else "seq")):
            self._unsupported(tag, at)
        if event.anchor:
            self.anchors[event.anchor] = _OPEN

    def _finish(self, done: _Open) -> None:
        value = done.value
        if isinstance(value, MarkedMap):
            for source, at in done.merges or ():
                _merge(value, source, at)
        if done.anchor:
            self.anchors[done.anchor] = (value, value.start)

    def _alias(self, event: Any) -> None:
        at = _mark(event)
        found = self.anchors.get(event.anchor)
        if found is None:
            self._stop(at, f"YAML syntax: found undefined alias {event.anchor!r}")
        if found is _OPEN:
            message = f"YAML: the alias *{event.anchor} is inside the value it names"
            self.problems.append((*at, message))
            self._place(None, at)
            return
        value, anchored_at = found
        self.budget -= self._size(value)
        if self.budget < 0:
            self._stop(at, "YAML: aliases repeat more values than the file has characters")
        self._place(value, anchored_at)  # where the value is written, as ruamel.yaml says

    def _size(self, value: Any) -> int:
        """The values in value, itself included, each aliased one counted every time."""
        if not isinstance(value, MarkedMap | MarkedList):
            return 1
        known = self.sizes.get(id(value))
        if known is None:
            items = value.values() if isinstance(value, MarkedMap) else value
            known = self.sizes[id(value)] = 1 + sum(self._size(v) for v in items)
        return known

    def _place(self, value: Any, at: Mark) -> None:
        """Put value into the collection being read: an item, a key, or the value of its key."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        into = top.value
        if isinstance(into, MarkedList):
            into.append(value if value is not MERGE else "<<")
            into.item_at.append(at)
            return
        key, top.key = top.key, _NO_KEY
        if key is _NO_KEY:
            top.key, top.key_at = _hashable(value), at
            return
        if value is MERGE:
            value = "<<"
        if key is MERGE:
            self._add_merge(top, value, at)
        elif key in into:
            self.problems.append(
                (
                    *top.key_at,
                    f'YAML syntax: while constructing a mapping found duplicate key "{key}"'
                    f' with value "{_short(value)}" (original value: "{_short(into[key])}")',
                )
            )
        else:
            into[key] = value
            into.key_at[key] = top.key_at
            into.value_at[key] = at

    def _add_merge(self, top: _Open, value: Any, at: Mark) -> None:
        """Note the mappings a `<<` key merges in, or what is wrong with them (as ruamel.yaml)."""
        problem = "YAML syntax: while constructing a mapping "
        if top.merges is not None:
            self.problems.append((*top.key_at, f'{problem}found duplicate merge key "<<"'))
        elif isinstance(value, MarkedMap):
            top.merges = [(value, at)]
        elif isinstance(value, MarkedList):
            for item, item_at in zip(value, value.item_at, strict=True):
                if not isinstance(item, MarkedMap):
                    found = f"expected a mapping for merging, but found {_node_kind(item)}"
                    self.problems.append((*item_at, problem + found))
                    return
            top.merges = list(zip(value, value.item_at, strict=True))
        else:
            found = (
                f"expected a mapping or list of mappings for merging, but found {_node_kind(value)}"
            )
            self.problems.append((*at, problem + found))

    def _unsupported(self, tag: str, at: Mark) -> None:
        shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
        message = f"YAML: the tag {shown} is not supported in alias tables; remove it"
        self.problems.append((*at, message))

    def _stop(self, at: Mark, message: str) -> NoReturn:
        self.problems.append((*at, message))
        raise _StopReadingError


def _mark(event: Any) -> Mark:
    start = event.start_mark
    return start.line + 1, start.column + 1


def _merge(into: MarkedMap, source: MarkedMap, at: Mark) -> None:
    for key, value in source.items():
        if key not in into:  # the mapping's own keys win, then the earlier merges
            into[key] = value
            into.key_at[key] = source.key_at.get(key, at)
            into.value_at[key] = source.value_at.get(key, at)


def _short(value: Any) -> str:
    """A value quoted in a message, cut short: a duplicate `entities:` would quote a whole file."""
    text = str(value)
    return text if len(text) <= 60 else f"{text[:60]}…"


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "sequence" if isinstance(value, list) else "scalar"


def _hashable(key: Any) -> Any:
    """A mapping key: a sequence or mapping key becomes a tuple, as ruamel.yaml makes it."""
    if isinstance(key, list):
        return tuple(_hashable(k) for k in key)
    if isinstance(key, dict):
        return tuple((k, _hashable(v)) for k, v in key.items())
    return key
