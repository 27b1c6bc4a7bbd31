"""The run of `entnorm resolve-file`: stream a file's names, write a JSON line per row, and say
by `FILE:LINE` where anything went wrong."""

from __future__ import annotations

import collections
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from entnorm_client.cli_errors import CliError, NamesFailedError, UnreachableError, cli_error
from entnorm_client.errors import EntnormError
from entnorm_client.input_files import InputFile, InputRow
from entnorm_client.types import Resolution

Resolve = Callable[[Iterable[str]], Iterable[Resolution]]
Unanswered = collections.deque[InputRow]

# A field path of the stream, e.g. `queries[1500].text`: the index counts names, not lines.
_QUERY_INDEX = re.compile(r"^queries\[(\d+)\]")


def resolve_rows(source: InputFile, output: IO[str], resolve: Resolve) -> None:
    """Write `{"input": <row>, "resolution": {...}}` per row, in input order.

    A name the server failed on is written with its error and warned about, and the run goes on;
    NamesFailedError (exit 5) at the end says how many. A failure of a whole chunk or of the
    stream stops the run, naming the first row not written.
    """
    # A first pass checks every row and counts them for the progress bar, so that a bad row
    # stops the run before anything is sent rather than halfway through.
    total = sum(1 for _ in source.rows())
    # Rows sent and not yet answered; filled by gRPC's sending thread, emptied here.
    pending: Unanswered = collections.deque()

    def names() -> Iterator[str]:
        for row in source.rows():
            pending.append(row)
            yield row.name

    written = failed = 0
    with _Progress(total) as progress:
        try:
            for resolution in resolve(names()):
                row = pending.popleft()
                record = {"input": row.record, "resolution": resolution.as_dict()}
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
                if resolution.error is not None:
                    failed += 1
                    progress.warn(f"{source.path}:{row.line}: not resolved: {resolution.error}")
                progress.advance()
        except EntnormError as error:
            raise _stopped(cli_error(error), source, pending, written) from error
    if failed:
        raise NamesFailedError(
            f"the server failed on {failed} of {written} rows; each is written with its error"
        )


def _stopped(
    failure: CliError, source: InputFile, unanswered: Unanswered, written: int
) -> CliError:
    """The failure, each `queries[i]` line under the `FILE:LINE` of its row, then where the run
    stopped and how much it wrote, unless no server was reached to write anything.

    gRPC's thread may still append to `unanswered`; indexing it, unlike iterating, is safe."""
    if isinstance(failure, UnreachableError) and not written:
        return failure
    lines = [_at_row(line, source, unanswered, written) for line in failure.lines]
    wrote = f"{written} row{'' if written == 1 else 's'} written"
    if unanswered:
        lines.append(f"{source.path}:{unanswered[0].line}: stopped at this row; {wrote}")
    else:
        lines.append(f"{source.path}: stopped; {wrote}")
    return type(failure)(lines)


def _at_row(line: str, source: InputFile, unanswered: Unanswered, written: int) -> str:
    match = _QUERY_INDEX.match(line)
    if match is None:
        return line
    # Answers come in input order: the first unanswered row is the name numbered `written`.
    offset = int(match[1]) - written
    if not 0 <= offset < len(unanswered):
        return line
    return f"{source.path}:{unanswered[offset].line}: {line}"


class _Progress:
    """A progress bar on stderr, and warnings that print above it.

    Nothing is drawn when stderr is not a terminal: a log has no use for a bar's frames.
    """

    def __init__(self, total: int) -> None:
        self._console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("resolving"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self._console,
            disable=not self._console.is_terminal,
        )
        self._task = self._bar.add_task("resolving", total=total)

    def __enter__(self) -> _Progress:
        self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._bar.stop()

    def advance(self) -> None:
        self._bar.advance(self._task)

    def warn(self, line: str) -> None:
        if self._console.is_terminal:
            # Through the bar's console, so that the bar is drawn again below the line.
            self._console.print(Text(f"entnorm: {line}"), soft_wrap=True)
        else:
            click.echo(f"entnorm: {line}", err=True)
