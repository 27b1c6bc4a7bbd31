"""`entnorm import ftm|wikidata|csv FILE -o DIR`: bring entities in as a machine-made layer.

Each reads its input as a stream, with a progress bar on a terminal, and writes the layer
`DIR/<layer>/` (layer.yaml and entities.jsonl) whole or not at all (importing/layers.py). A bad
record is named at its line with why; `--on-error skip` (the default) goes on without it,
`--on-error stop` stops and writes nothing. Importing the same file again writes the same layer.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import click
import rich.progress
from rich.console import Console

from entnorm_server.importing import csv_table, ftm, wikidata
from entnorm_server.importing.layers import ImportStopped, Record, Written, write_layer
from entnorm_server.model import EntityType
from entnorm_server.schema import LayerManifest

SHOWN_BAD = 20  # bad records named one by one; the rest are counted


def _layer_options(default_name: str, default_source: str) -> Callable[[Any], Any]:
    def decorate(command: Any) -> Any:
        for option in reversed(
            [
                click.option(
                    "-o",
                    "--output",
                    "output",
                    required=True,
                    type=click.Path(file_okay=False, path_type=Path),
                    help="The data directory to write the layer into (it may hold other tables).",
                ),
                click.option(
                    "--layer",
                    default=default_name,
                    show_default=True,
                    help="The layer's name, and its folder's.",
                ),
                click.option(
                    "--priority",
                    type=click.IntRange(0, 999),
                    default=100,
                    show_default=True,
                    help="Where the layer stands among layers sharing ids (higher wins; the"
                    " curated tables stand above all).",
                ),
                click.option(
                    "--source",
                    default=default_source,
                    show_default=True,
                    help="Where the data comes from.",
                ),
                click.option(
                    "--licence",
                    required=True,
                    help="The data's licence, e.g. CC-BY-4.0 (OpenSanctions: CC-BY-NC-4.0;"
                    " Wikidata: CC0-1.0).",
                ),
                click.option(
                    "--on-error",
                    type=click.Choice(["skip", "stop"]),
                    default="skip",
                    show_default=True,
                    help="On a bad record: skip it and go on, or stop and write nothing.",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


@click.group("import")
def import_group() -> None:
    """Import entities from a file as a machine-made layer of a data directory."""


@import_group.command("ftm")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_layer_options("ftm", "FollowTheMoney entities")
def import_ftm(file: Path, **options: Any) -> None:
    """FollowTheMoney entity JSON lines (as OpenSanctions publishes them): Person,
    Organization, Company, LegalEntity, PublicBody and Country; name, alias, weakAlias
    (context-only), previousName, wikidataId and country."""
    try:
        ftm.records(iter(()), file.name)  # the library, before anything is read or written
    except ftm.LibraryMissingError as error:
        raise click.ClickException(str(error)) from None
    _run(file, options, lambda stream: ftm.records(stream, file.name), binary=True)


@import_group.command("wikidata")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_layer_options("wikidata", "Wikidata")
def import_wikidata(file: Path, **options: Any) -> None:
    """Wikidata entity JSON, one entity per line (as the dumps are): labels and aliases by
    language, the type from P31, ISO 3166-1 and GeoNames ids."""
    _run(file, options, lambda stream: wikidata.records(stream, file.name), binary=True)


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id-col", required=True, help="The column of entity ids.")
@click.option("--name-col", required=True, help="The column of names.")
@click.option("--lang-col", default="", help="The column of each name's BCP-47 tag.")
@click.option(
    "--type",
    "entity_type",
    type=click.Choice([t.value for t in EntityType]),
    help="The type of every row's entity.",
)
@click.option("--type-col", default="", help="The column of each row's entity type instead.")
@_layer_options("csv", "a CSV file")
def import_csv(
    file: Path,
    id_col: str,
    name_col: str,
    lang_col: str,
    entity_type: str | None,
    type_col: str,
    **options: Any,
) -> None:
    """A CSV file with a header: an id and a name per row, optionally a language and a type;
    the rows of one id make one entity."""
    if bool(entity_type) == bool(type_col):
        raise click.UsageError("give the entities' type: --type TYPE or --type-col COLUMN")
    columns = csv_table.Columns(
        id_col, name_col, lang_col, type_col, EntityType(entity_type) if entity_type else None
    )
    _run(file, options, lambda stream: csv_table.records(stream, file.name, columns), binary=False)


def _run(
    file: Path,
    options: dict[str, Any],
    read: Callable[[Any], Iterable[Record]],
    *,
    binary: bool,
) -> None:
    err = Console(stderr=True, highlight=False)
    try:
        manifest = LayerManifest(
            name=options["layer"],
            source=options["source"],
            licence=options["licence"],
            priority=options["priority"],
        )
    except ValueError as error:
        raise click.BadParameter(str(error).splitlines()[-1], param_hint="--layer") from None
    started = time.perf_counter()
    stream: IO[Any]
    with rich.progress.open(
        file,
        "rb" if binary else "rt",
        encoding=None if binary else "utf-8",
        newline=None if binary else "",
        description=f"importing {file.name}",
        console=err,
        disable=not err.is_terminal,
        transient=True,
    ) as stream:
        try:
            written = write_layer(
                options["output"],
                manifest,
                read(stream),
                source_file=file.name,
                stop_on_error=options["on_error"] == "stop",
            )
        except ImportStopped as stopped:
            click.echo(f"entnorm: {stopped.bad}", err=True)
            click.echo(
                "entnorm: stopped at the first bad record (--on-error stop); nothing written",
                err=True,
            )
            sys.exit(1)
    _report(written, time.perf_counter() - started)


def _report(written: Written, seconds: float) -> None:
    for bad in written.bad[:SHOWN_BAD]:
        click.echo(f"skipped: {bad}", err=True)
    if len(written.bad) > SHOWN_BAD:
        click.echo(f"skipped: {len(written.bad) - SHOWN_BAD} more bad records", err=True)
    rate = written.names / seconds if seconds > 0 else 0.0
    click.echo(
        f"wrote layer {written.folder}: {written.entities:,} entities, {written.names:,} names"
        f" ({rate:,.0f} names/s); {len(written.bad):,} bad record(s) skipped",
        err=True,
    )
