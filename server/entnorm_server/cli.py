"""Server-side commands of the `entnorm` CLI, loaded lazily by the client CLI."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from entnorm_server.exc import AliasLoadError
from entnorm_server.settings import Settings, base_layer_dir

if TYPE_CHECKING:
    from entnorm_server.editing import Edited
    from entnorm_server.lint_rules import Finding
    from entnorm_server.reloading import Reloader
    from entnorm_server.store import SnapshotStore


@click.command()
@click.option(
    "--aliases",
    "aliases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of alias tables (default: the embedded tables; env ENTNORM_ALIASES).",
)
@click.option("--host", help="Address to bind (default: localhost; env ENTNORM_HOST).")
@click.option(
    "--port",
    type=int,
    help="Port to bind, 1-65535, or 0 for any free one (default: 50051; env ENTNORM_PORT).",
)
@click.option("--log-format", type=click.Choice(["console", "json"]), help="Log line format.")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    help="Serving processes sharing the port, about one per core (default: 1;"
    " env ENTNORM_PROCESSES).",
)
@click.option(
    "--base-layer/--no-base-layer",
    default=None,
    help="Serve the embedded base layer (countries, subdivisions, cities) under the tables"
    " (default: with the embedded tables, not with --aliases; env ENTNORM_BASE_LAYER).",
)
def serve(
    aliases_dir: Path | None,
    host: str | None,
    port: int | None,
    log_format: str | None,
    processes: int | None,
    base_layer: bool | None,
) -> None:
    """Serve the entnorm gRPC API over the alias tables."""
    from entnorm_server import logs
    from entnorm_server.processes import run_forked
    from entnorm_server.resolver import Resolver
    from entnorm_server.snapshot_cache import SnapshotCache
    from entnorm_server.store import SnapshotStore

    env = Settings.from_env()
    processes = processes or env.processes
    logs.configure(log_format or env.log_format)
    source = aliases_dir or env.aliases
    port = env.port if port is None else port
    if not 0 <= port <= 65535:
        raise SystemExit(f"entnorm: not serving: port {port} is not in 1-65535 (0: any free port)")
    if processes > 1 and port == 0:
        raise SystemExit("entnorm: not serving: several processes need a port of their own, not 0")
    address = f"{host or env.host}:{port}"
    with_base = env.base_layer if base_layer is None else base_layer
    if aliases_dir is not None and base_layer is None:
        with_base = False  # a directory of one's own is served as it is, unless asked
    layers = (base_layer_dir(),) if with_base else ()
    cache = SnapshotCache() if env.snapshot_cache else None
    store = SnapshotStore(source, warm_up=Resolver().warm_up, layers=layers, cache=cache)
    if processes == 1:
        sys.exit(_serve_process(store, address, env, loaded=False))
    # Load once, before forking: a bad table is reported once, and no gRPC object exists yet.
    _load(store)
    options = replace(env, reuse_port=True)
    sys.exit(run_forked(processes, lambda: _serve_process(store, address, options, loaded=True)))


def _serve_process(store: SnapshotStore, address: str, env: Settings, *, loaded: bool) -> int:
    """Serve until a signal; the exit code."""
    from entnorm_server import logs, signals
    from entnorm_server.reloading import Reloader
    from entnorm_server.scorer import shipped
    from entnorm_server.server import BindError, ServerOptions, create_server, serve_until_signal

    log = logs.get_logger("entnorm.serve")
    try:
        server, bound = create_server(address, store, ServerOptions.from_settings(env))
    except BindError as error:
        raise SystemExit(f"entnorm: not serving: {error}") from None
    server.start()  # health says NOT_SERVING until the tables are in
    if not loaded:
        try:
            _load(store)
        except SystemExit:
            server.stop(None).wait(5)
            raise
    snapshot = store.current
    reloader = Reloader(store, watch=env.watch)
    # Caught before "serving" is said: a signal sent on reading that line stops us gracefully.
    with signals.Caught(signals.SERVER_SIGNALS) as caught, _running(reloader):
        log.info(
            "serving",
            address=address,
            port=bound,
            pid=os.getpid(),
            revision=snapshot.revision,
            scorer=shipped().version,
            entities=len(snapshot.entities),
            aliases=len(snapshot.aliases),
            source=str(store.source),
            files=[s.path for s in snapshot.tables.source_files],
            workers=env.workers,
            watching=reloader.watch,
        )
        stopped = serve_until_signal(server, env.grace_seconds, caught, reloader.request)
        return 0 if stopped else 1


@contextlib.contextmanager
def _running(reloader: Reloader) -> Iterator[None]:
    reloader.start()
    try:
        yield
    finally:
        reloader.stop()


def _load(store: SnapshotStore) -> None:
    """Load the tables, or exit naming every problem."""
    try:
        store.reload()
    except AliasLoadError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(
            f"entnorm: not serving: {len(error.problems)} problem(s) in {store.source}"
        ) from None


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: `file:line:col: LEVEL code message (fix: ...)`; json: one object per line.",
)
@click.option(
    "--base-layer",
    is_flag=True,
    help="Check the tables over the embedded base layer, as `entnorm serve` serves them: a"
    " curated alias that is also an imported name shows.",
)
def lint(directory: Path | None, output: str, base_layer: bool) -> None:
    """Check alias tables: every problem at once, at its file:line:column, with how to fix it.

    First as the server loads them (what it refuses); then, if they load, what changes answers
    (an alias shared between entities, mixed scripts, a tag that does not fit its text, ...).
    Exit 1 on any error; warnings alone exit 0."""
    from entnorm_server.lint_rules import Finding, check
    from entnorm_server.loading import load_directory

    root = Path(directory or Settings.from_env().aliases)
    try:
        tables = load_directory(root, (base_layer_dir(),) if base_layer else ())
        findings = check(tables)
    except AliasLoadError as error:
        findings = [Finding(p.location, "error", "load", p.message) for p in error.problems]
        # What did read is checked too: a broken file hides nothing in the others.
        findings += check(error.partial) if error.partial is not None else []
        findings.sort(key=lambda f: (f.location.file, f.location.line, f.location.column))
        tables = None
    for finding in findings:
        click.echo(_lint_line(root, finding, output))
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if tables is not None:
        aliases = sum(len(e.aliases) for e in tables.entities)
        click.echo(
            f"{'ok' if not errors else 'loads'}: {len(tables.entities)} entities, {aliases} names"
            f" and aliases in {root}; {errors} error(s), {warnings} warning(s)",
            err=bool(findings),
        )
    else:
        click.echo(f"{len(findings)} problem(s)", err=True)
    sys.exit(1 if errors else 0)


def _lint_line(root: Path, finding: Finding, output: str) -> str:
    where = finding.location
    if output == "json":
        import json

        return json.dumps(
            {
                "file": str(root / where.file),
                "line": where.line,
                "column": where.column,
                "level": finding.level,
                "code": finding.code,
                "message": finding.message,
                "hint": finding.hint,
            },
            ensure_ascii=False,
        )
    return f"{root / str(finding)}"


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check(directory: Path | None) -> None:
    """Run the golden cases (DIRECTORY/golden/*.yaml) against the tables, without a server."""
    from entnorm_server import golden
    from entnorm_server.loading import load_directory
    from entnorm_server.snapshot import compile_snapshot
    from entnorm_server.table_files import GOLDEN_DIR

    root = Path(directory or Settings.from_env().aliases)
    try:
        tables = load_directory(root)
    except AliasLoadError as error:
        for problem in error.problems:
            click.echo(f"{root / str(problem)}")
        count = len(error.problems)
        raise SystemExit(f"entnorm: {count} problem(s) in the tables; run lint") from None
    cases, problems = golden.load_cases(root)
    for problem in problems:
        click.echo(f"{root / str(problem)}")
    if not cases and not problems:
        raise SystemExit(f"entnorm: no golden cases in {root / GOLDEN_DIR}")
    failed = list(golden.failures(compile_snapshot(tables), cases))
    for failure in failed:
        click.echo(f"{root / str(failure)}")
    summary = f"{len(cases)} case(s), {len(failed)} failed"
    if problems:
        summary += f", {len(problems)} problem(s) in the case files"
    click.echo(summary, err=True)
    sys.exit(1 if failed or problems else 0)


@click.command("fmt")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a table is not formatted.")
def fmt(directory: Path | None, check: bool) -> None:
    """Write the tables in canonical layout and key order, keeping every comment."""
    from entnorm_server import formatting

    root = Path(directory or Settings.from_env().aliases)
    done, problems = formatting.format_tables(root)
    for problem in problems:
        click.echo(f"{root / problem}", err=True)
    changed = [f for f in done if f.changed]
    for formatted in changed:
        if check:
            click.echo(f"{root / formatted.rel}: not formatted (run: entnorm fmt)")
        else:
            formatting.write(formatted)
            click.echo(f"{root / formatted.rel}: formatted")
    verb = "would be formatted" if check else "formatted"
    click.echo(f"{len(done)} table(s), {len(changed)} {verb}", err=True)
    sys.exit(1 if problems or (check and changed) else 0)


_TABLES_OPTION = click.option(
    "--aliases",
    "aliases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of alias tables (default: the embedded tables; env ENTNORM_ALIASES).",
)


@click.group()
def alias() -> None:
    """Add or remove an alias of an entity, in its file, keeping every comment."""


@alias.command("add")
@click.argument("entity_id")
@click.argument("text")
@click.option("--kind", required=True, help="romanization, misrendering, short_name, ...")
@click.option("--lang", default="", help="BCP-47 tag of the alias.")
@click.option("--note", default="", help="Why it exists (misrenderings need one).")
@click.option("--source", default="", help="Where it was seen.")
@click.option("--context-only", is_flag=True, help="Never resolve on it alone.")
@_TABLES_OPTION
def alias_add(
    entity_id: str,
    text: str,
    kind: str,
    lang: str,
    note: str,
    source: str,
    context_only: bool,
    aliases_dir: Path | None,
) -> None:
    """Add TEXT as an alias of ENTITY_ID; refused, with why, if lint would refuse the result."""
    from entnorm_server import editing

    root = Path(aliases_dir or Settings.from_env().aliases)
    _report_edit(
        lambda: editing.add_alias(
            root,
            entity_id,
            text,
            kind,
            lang=lang,
            note=note,
            source=source,
            context_only=context_only,
        ),
        root,
        f"added {text!r} to {entity_id}",
    )


@alias.command("rm")
@click.argument("entity_id")
@click.argument("text")
@click.option("--lang", default="", help="The alias's tag, when it has several.")
@_TABLES_OPTION
def alias_rm(entity_id: str, text: str, lang: str, aliases_dir: Path | None) -> None:
    """Remove the alias TEXT from ENTITY_ID."""
    from entnorm_server import editing

    root = Path(aliases_dir or Settings.from_env().aliases)
    _report_edit(
        lambda: editing.remove_alias(root, entity_id, text, lang=lang),
        root,
        f"removed {text!r} from {entity_id}",
    )


@click.group()
def entity() -> None:
    """Create an entity in the tables."""


@entity.command("new")
@click.argument("entity_id")
@click.option(
    "--type",
    "entity_type",
    required=True,
    type=click.Choice(["person", "organization", "country", "place"]),
)
@click.option("--name", required=True, help="Its display name, also its first name.")
@click.option("--lang", default="en", show_default=True, help="The name's BCP-47 tag.")
@click.option("--file", "file", default="", help="Table file, relative to the directory.")
@_TABLES_OPTION
def entity_new(
    entity_id: str, entity_type: str, name: str, lang: str, file: str, aliases_dir: Path | None
) -> None:
    """Create ENTITY_ID with one name, in the file for its type (or --file)."""
    from entnorm_server import editing
    from entnorm_server.model import EntityType

    root = Path(aliases_dir or Settings.from_env().aliases)
    _report_edit(
        lambda: editing.new_entity(
            root, entity_id, EntityType(entity_type), name, lang=lang, file=file
        ),
        root,
        f"created {entity_id}",
    )


def _report_edit(run: Callable[[], Edited], root: Path, done: str) -> None:
    from entnorm_server.editing import EditRefusedError

    try:
        edited = run()
    except EditRefusedError as error:
        for problem in error.problems:
            click.echo(f"{root / problem}", err=True)
        raise SystemExit(f"entnorm: {error}") from None
    click.echo(f"{done} at {root / edited.rel}:{edited.line}; revision {edited.revision}")


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--base", required=True, help="The tables before: a directory, or a git revision.")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Recorded queries too: one name per line, or JSON Lines with `query`.",
)
def impact(directory: Path | None, base: str, queries: Path | None) -> None:
    """What the tables in DIRECTORY answer differently from --base: on the golden cases of both
    and the recorded queries. Exit 1 if any answer changed, 0 if none did."""
    from entnorm_server import impact as compare
    from entnorm_server.snapshot import load_snapshot

    root = Path(directory or Settings.from_env().aliases)
    with compare.scratch_dir() as scratch:
        try:
            before, base_root = compare.load_base(base, root, Path(scratch))
            after = load_snapshot(root)
        except (AliasLoadError, ValueError) as error:
            raise SystemExit(f"entnorm: {str(error).splitlines()[0]}") from None
        asked = compare.queries_of([root, base_root], queries)
        found = list(compare.changes(before, after, asked))
    for change in sorted(found, key=lambda c: compare.KINDS.index(c.kind)):
        click.echo(str(change))
    counts = ", ".join(f"{sum(c.kind == k for c in found)} {k}" for k in compare.KINDS)
    click.echo(f"{len(asked)} queries, {before.revision} -> {after.revision}: {counts}", err=True)
    sys.exit(1 if found else 0)
