"""The `entnorm` command: resolve names, look up entities, and (from the server package) serve."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console

from entnorm_client import cli_params
from entnorm_client.cli_errors import InvalidInputError, NamesFailedError, cli_error
from entnorm_client.client import DEFAULT_TARGET, DEFAULT_TIMEOUT, MAX_BATCH, EntnormClient
from entnorm_client.enums import ENTITY_TYPES
from entnorm_client.errors import EntnormError
from entnorm_client.input_files import FORMATS, InputFile
from entnorm_client.lazy_group import LazyGroup
from entnorm_client.render import (
    annotated_text,
    entity_view,
    mentions_view,
    resolution_view,
    revision_view,
)
from entnorm_client.resolve_file import resolve_rows
from entnorm_client.types import Context, Resolution

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
    request_id: str | None

    def connect(self) -> EntnormClient:
        return EntnormClient(self.target, timeout=self.timeout)


pass_settings = click.make_pass_decorator(Settings)


@click.group(
    cls=EntnormGroup,
    lazy_subcommands={
        "serve": "entnorm_server.cli:serve",
        "lint": "entnorm_server.cli:lint",
        "check": "entnorm_server.cli:check",
        "fmt": "entnorm_server.cli:fmt",
        "alias": "entnorm_server.cli:alias",
        "entity": "entnorm_server.cli:entity",
        "impact": "entnorm_server.cli:impact",
        "import": "entnorm_server.import_cli:import_group",
    },
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--target",
    envvar="ENTNORM_TARGET",
    default=DEFAULT_TARGET,
    show_default=True,
    show_envvar=True,
    callback=cli_params.utf8_text,
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
@click.option(
    "--request-id",
    callback=cli_params.request_id,
    help="Send this id with every call, to find them in the server's log"
    " (default: the server makes one per call).",
)
@click.version_option(package_name="entnorm")
@click.pass_context
def cli(ctx: click.Context, target: str, timeout: float, request_id: str | None) -> None:
    """Resolve names of people, organisations and places to canonical entity ids."""
    ctx.obj = Settings(target, timeout, request_id)


_FILTERS = [
    click.option(
        "--type",
        "types",
        multiple=True,
        type=click.Choice(ENTITY_TYPES.choices(), case_sensitive=False),
        help="Only entities of this type (repeatable).",
    ),
    click.option(
        "--lang",
        "language",
        default="",
        callback=cli_params.utf8_text,
        help="BCP-47 tag of the names, e.g. ko.",
    ),
    click.option(
        "--max",
        "max_candidates",
        type=click.IntRange(min=0),
        default=0,
        help="At most N candidates per name (0: the server default).",
    ),
]


def filter_options(command: F) -> F:
    """The filters every name or mention gets: --type, --lang, --max."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def query_options(command: F) -> F:
    """The filters every name gets, and --threshold."""
    command = click.option(
        "--threshold",
        type=click.FloatRange(min=0.0, max=1.0, min_open=True),
        default=None,
        help="Score a name needs to be RESOLVED (default: the server scorer's).",
    )(command)
    return filter_options(command)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")


@cli.command()
@click.argument("names", nargs=-1, required=True, callback=cli_params.utf8_text)
@query_options
@click.option(
    "--context-id",
    "context_ids",
    multiple=True,
    callback=cli_params.utf8_text,
    help="An entity id known to be around the names, e.g. org:kr-national-security-office"
    " (repeatable).",
)
@click.option(
    "--context-text",
    default="",
    callback=cli_params.utf8_text,
    help="The sentence or paragraph the names came from.",
)
@click.option(
    "--country",
    default="",
    callback=cli_params.utf8_text,
    help="The country the names belong to: KR or country:kr.",
)
@json_option
@pass_settings
def resolve(
    settings: Settings,
    names: tuple[str, ...],
    types: tuple[str, ...],
    language: str,
    max_candidates: int,
    threshold: float | None,
    context_ids: tuple[str, ...],
    context_text: str,
    country: str,
    as_json: bool,
) -> None:
    """Resolve NAMES; an unresolved name is an answer too (exit 0).

    Context (--context-id, --context-text, --country) may settle a name that is ambiguous
    alone; the answer says what did. A name the server failed on is shown with why and the
    request id; exit 5 at the end.
    """
    context = Context(context_ids, context_text, country)
    with settings.connect() as client:
        resolutions = client.resolve(
            names,
            types=types,
            language=language,
            max_candidates=max_candidates,
            threshold=threshold,
            context=context if context.entity_ids or context.text or context.country else None,
            request_id=settings.request_id,
        )
    if as_json:
        for resolution in resolutions:
            click.echo(resolution.to_json())
    else:
        console = _stdout_console()
        for resolution in resolutions:
            console.print(resolution_view(resolution))
    _fail_if_any_failed(resolutions)


def _fail_if_any_failed(resolutions: list[Resolution]) -> None:
    failed = [r for r in resolutions if r.error is not None]
    if not failed:
        return
    lines = [f"not resolved: {r.query!r}: {r.error}" for r in failed]
    lines.append(f"the server failed on {len(failed)} of {len(resolutions)} names")
    raise NamesFailedError(lines)


@cli.command()
@click.argument("file", type=click.File("rb"))
@filter_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON line per mention: start, end (code points), text, resolution.",
)
@pass_settings
def annotate(
    settings: Settings,
    file: IO[bytes],
    types: tuple[str, ...],
    language: str,
    max_candidates: int,
    as_json: bool,
) -> None:
    """Find and resolve every mention of a known entity in FILE (- for standard input).

    Shows the text with each mention marked and numbered, then what each one is and why.
    Offsets (--json) are code points into the text as read (UTF-8, newlines kept).
    """
    try:
        # Bytes, decoded as they are: offsets count every character, \r of CRLF too.
        text = file.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{file.name}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    with settings.connect() as client:
        annotation = client.annotate(
            text,
            types=types,
            language=language,
            max_candidates=max_candidates,
            request_id=settings.request_id,
        )
    if as_json:
        for mention in annotation.mentions:
            click.echo(mention.to_json())
        return
    console = _stdout_console()
    console.print(annotated_text(text, annotation))
    console.print(mentions_view(annotation))


@cli.command()
@click.argument("ids", nargs=-1, required=True, callback=cli_params.utf8_text)
@json_option
@pass_settings
def get(settings: Settings, ids: tuple[str, ...], as_json: bool) -> None:
    """Show the entities with these IDS (exit 4 for an unknown id)."""
    with settings.connect() as client:
        entities = client.get_entities(ids, request_id=settings.request_id)
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
        data_revision = client.data_revision(request_id=settings.request_id)
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
    callback=cli_params.utf8_text,
    help="CSV or TSV column, or JSON field, holding the name.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    help="Input format; by default from the suffix (.csv; .tsv, .tab; .jsonl, .ndjson).",
)
@click.option(
    "--delimiter",
    callback=cli_params.delimiter,
    help="Field delimiter of a CSV or TSV file, one character, e.g. ';' (tab: 'tab')."
    "  [default: ',' for CSV, tab for TSV]",
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
    help="Names per stream message (fewer when the names are long).",
)
@query_options
@pass_settings
def resolve_file(
    settings: Settings,
    file: Path,
    column: str,
    file_format: str | None,
    delimiter: str | None,
    output: IO[str],
    chunk_size: int,
    types: tuple[str, ...],
    language: str,
    max_candidates: int,
    threshold: float | None,
) -> None:
    """Resolve the names in a CSV, TSV or JSON Lines FILE.

    Writes one JSON object per row, in input order: {"input": <row>, "resolution": {...}}.
    A row the server failed on is written with its error, warned about, and the run goes on;
    exit 5 at the end.
    """
    source = InputFile.from_options(file, file_format, column, delimiter)
    with settings.connect() as client:

        def resolve(names: Iterable[str]) -> Iterable[Resolution]:
            return client.stream_resolve(
                names,
                chunk_size=chunk_size,
                types=types,
                language=language,
                max_candidates=max_candidates,
                threshold=threshold,
                request_id=settings.request_id,
            )

        resolve_rows(source, output, resolve)


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
