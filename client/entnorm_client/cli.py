"""The `entnorm` command: resolve names, look up entities, and (from the server package) serve."""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from entnorm_client.cli_errors import cli_error
from entnorm_client.client import DEFAULT_TARGET, DEFAULT_TIMEOUT, MAX_BATCH, EntnormClient
from entnorm_client.enums import ENTITY_TYPES
from entnorm_client.errors import EntnormError
from entnorm_client.input_files import FORMATS, InputRow, detect_format, read_rows
from entnorm_client.lazy_group import LazyGroup
from entnorm_client.render import entity_view, resolution_view, revision_view

# Output to a pipe or a file is as wide as its longest value needs.
_UNWRAPPED_WIDTH = 10_000

F = TypeVar("F", bound=Callable[..., Any])


class EntnormGroup(LazyGroup):
    """Reports client errors as `entnorm: ...` lines with their exit codes, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EntnormError as error:
            raise cli_error(error) from error


@dataclass(frozen=True)
class Settings:
    """The global options, for the subcommands that talk to a server."""

    target: str
    timeout: float

    def connect(self) -> EntnormClient:
        return EntnormClient(self.target, timeout=self.timeout)


pass_settings = click.make_pass_decorator(Settings)


@click.group(
    cls=EntnormGroup,
    lazy_subcommands={"serve": "entnorm_server.cli:serve", "lint": "entnorm_server.cli:lint"},
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--target",
    envvar="ENTNORM_TARGET",
    default=DEFAULT_TARGET,
    show_default=True,
    show_envvar=True,
    help="Server address, as gRPC takes it: host:port, dns:///host:port, unix:PATH.",
)
@click.option(
    "--timeout",
    envvar="ENTNORM_TIMEOUT",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    show_envvar=True,
    help="Seconds to wait for each answer.",
)
@click.version_option(package_name="entnorm")
@click.pass_context
def cli(ctx: click.Context, target: str, timeout: float) -> None:
    """Resolve names of people, organisations and places to canonical entity ids."""
    ctx.obj = Settings(target, timeout)


def query_options(command: F) -> F:
    """The filters every name gets: --type, --lang, --max, --threshold."""
    options = [
        click.option(
            "--type",
            "types",
            multiple=True,
            type=click.Choice(ENTITY_TYPES.choices(), case_sensitive=False),
            help="Only entities of this type (repeatable).",
        ),
        click.option("--lang", "language", default="", help="BCP-47 tag of the names, e.g. ko."),
        click.option(
            "--max",
            "max_candidates",
            type=click.IntRange(min=0),
            default=0,
            help="At most N candidates per name (0: the server default).",
        ),
        click.option(
            "--threshold",
            type=click.FloatRange(min=0.0, max=1.0, min_open=True),
            default=None,
            help="Score a name needs to be RESOLVED (default: the server's, 0.85).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@query_options
@json_option
@pass_settings
def resolve(
    settings: Settings,
    names: tuple[str, ...],
    types: tuple[str, ...],
    language: str,
    max_candidates: int,
    threshold: float | None,
    as_json: bool,
) -> None:
    """Resolve NAMES; an unresolved name is an answer too (exit 0)."""
    with settings.connect() as client:
        resolutions = client.resolve(
            names,
            types=types,
            language=language,
            max_candidates=max_candidates,
            threshold=threshold,
        )
    if as_json:
        for resolution in resolutions:
            click.echo(resolution.to_json())
        return
    console = _stdout_console()
    for resolution in resolutions:
        console.print(resolution_view(resolution))


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@json_option
@pass_settings
def get(settings: Settings, ids: tuple[str, ...], as_json: bool) -> None:
    """Show the entities with these IDS (exit 4 for an unknown id)."""
    with settings.connect() as client:
        entities = client.get_entities(ids)
    if as_json:
        for entity in entities:
            click.echo(entity.to_json())
        return
    console = _stdout_console()
    for entity in entities:
        console.print(entity_view(entity))


@cli.command()
@json_option
@pass_settings
def revision(settings: Settings, as_json: bool) -> None:
    """Show the data revision the server has loaded."""
    with settings.connect() as client:
        data_revision = client.data_revision()
    if as_json:
        click.echo(data_revision.to_json())
    else:
        _stdout_console().print(revision_view(data_revision))


@cli.command("resolve-file")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--column",
    default="name",
    show_default=True,
    help="CSV column or JSON field holding the name.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    help="Input format; by default from the suffix (.csv, .jsonl, .ndjson).",
)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write JSON lines here instead of stdout.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, MAX_BATCH),
    default=500,
    show_default=True,
    help="Names per stream message.",
)
@query_options
@pass_settings
def resolve_file(
    settings: Settings,
    file: Path,
    column: str,
    file_format: str | None,
    output: IO[str],
    chunk_size: int,
    types: tuple[str, ...],
    language: str,
    max_candidates: int,
    threshold: float | None,
) -> None:
    """Resolve the names in a CSV or JSON Lines FILE.

    Writes one JSON object per row, in input order: {"input": <row>, "resolution": {...}}.
    """
    file_format = detect_format(file, file_format)
    # A first pass checks every row and counts them for the progress bar, so that a bad row
    # stops the run before any output rather than halfway through.
    total = sum(1 for _ in read_rows(file, file_format, column))
    # Rows sent and not yet answered; filled by gRPC's sending thread, emptied here.
    pending: collections.deque[InputRow] = collections.deque()

    def names() -> Iterator[str]:
        for row in read_rows(file, file_format, column):
            pending.append(row)
            yield row.name

    with settings.connect() as client, _progress(total) as advance:
        resolutions = client.stream_resolve(
            names(),
            chunk_size=chunk_size,
            types=types,
            language=language,
            max_candidates=max_candidates,
            threshold=threshold,
        )
        for resolution in resolutions:
            row = pending.popleft()
            output.write(_json_line({"input": row.record, "resolution": resolution.as_dict()}))
            advance()


def _json_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr, yielding the function that advances it by one row.

    Nothing is drawn when stderr is not a terminal: a log has no use for a bar's frames.
    """
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("resolving"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    task = bar.add_task("resolving", total=total)
    with bar:
        yield lambda: bar.advance(task)


def _stdout_console() -> Console:
    # No highlighting: the numbers and ids in results are data, not code.
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # A pipe or a file gets whole lines: rich would wrap them at 80 columns, splitting values.
        console.soft_wrap = True
        console.width = _UNWRAPPED_WIDTH
    return console


def main() -> None:
    """The `entnorm` entry point."""
    cli.main(prog_name="entnorm")


if __name__ == "__main__":
    main()
