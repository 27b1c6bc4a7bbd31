"""Rich views of results for people; `--json` output does not come through here.

Every value from the server goes in as `Text`, never as markup, so a name like "[red]" prints as is.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from entnorm_client.types import (
    AliasEntry,
    Annotation,
    Candidate,
    DataRevision,
    Entity,
    Resolution,
)

_OUTCOME_STYLES = {
    "resolved": "bold green",
    "ambiguous": "bold yellow",
    "unresolved": "bold red",
    "error": "bold magenta",
}


def resolution_view(resolution: Resolution) -> RenderableType:
    """The outcome for one name, then each candidate best first: one line of facts, then the
    alias that matched, the route and why, indented, so that narrow terminals stay readable.
    A name the server failed on shows why, with the request id to find it in the server's log."""
    normalized = resolution.normalized_text
    heading = Text.assemble(
        (resolution.query, "bold"),
        "  ",
        (resolution.outcome, _OUTCOME_STYLES.get(resolution.outcome, "bold")),
        (f"  (normalized: {normalized})" if normalized else "", "dim"),
    )
    if resolution.error is not None:
        return Group(heading, Text(f"  {resolution.error}"), Text())
    if not resolution.candidates:
        return Group(heading, Text("  no candidates", style="dim"), Text())
    lines: list[RenderableType] = [heading]
    for rank, candidate in enumerate(resolution.candidates, start=1):
        lines.append(
            Text.assemble(
                f"{rank:>3}  ",
                (candidate.entity_id, "cyan"),
                f"  {candidate.display_name}  ",
                (candidate.type, "dim"),
                f"  {candidate.score:.2f}  ",
                (candidate.match_kind, "bold"),
            )
        )
        lines += [
            _detail(label, value)
            for label, value in (
                ("alias", _alias_line(candidate.matched_alias)),
                ("route", "; ".join(candidate.route)),
                ("why", candidate.explanation),
                ("weighed", _terms_line(candidate)),
            )
            if value
        ]
    lines.append(Text())
    return Group(*lines)


def _terms_line(candidate: Candidate, shown: int = 4) -> str:
    """The scorer's largest terms, signed: what raised the score and what lowered it."""
    terms = candidate.evidence.score_terms if candidate.evidence else ()
    return " · ".join(f"{t.value * t.weight:+.1f} {t.feature}" for t in terms[:shown])


def _detail(label: str, value: str) -> Text:
    return Text.assemble((f"       {label:<8}", "dim"), value)


def _alias_line(alias: AliasEntry | None) -> str:
    if alias is None:
        return ""
    lang = f" [{alias.language}]" if alias.language else ""
    where = f"{alias.file}:{alias.line}" if alias.file else ""
    context = "context only" if alias.context_only else ""
    layer = f"layer {alias.layer}" if alias.layer and alias.layer != "curated" else ""
    parts = (f"{alias.text!r}{lang}", alias.kind, context, layer, alias.source, where)
    return " · ".join(p for p in parts if p)


def entity_view(entity: Entity) -> RenderableType:
    """An entity with its names, aliases, external ids and relations."""
    heading = Text.assemble(
        (entity.id, "bold cyan"), "  ", (entity.display_name, "bold"), f"  ({entity.type})"
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    if entity.file:
        facts.add_row("defined at", Text(f"{entity.file}:{entity.line}"))
    for scheme, external_id in entity.external_ids.items():
        facts.add_row(Text(scheme), Text(external_id))
    if entity.related_ids:
        facts.add_row("related", Text(", ".join(entity.related_ids)))
    if entity.not_same_as:
        facts.add_row("not same as", Text(", ".join(entity.not_same_as)))
    facts.add_row("revision", Text(entity.revision))

    names = Table(title="names", title_justify="left", box=None, pad_edge=False)
    names.add_column("language", no_wrap=True)
    names.add_column("name")
    names.add_column("source", overflow="fold")
    for name in entity.names:
        layer = "" if name.layer in ("", "curated") else f" [{name.layer}]"
        names.add_row(Text(name.language), Text(name.text), Text(name.source + layer))

    parts: list[RenderableType] = [heading, facts, names]
    if entity.aliases:
        aliases = Table(title="aliases", title_justify="left", box=None, pad_edge=False)
        for column in ("alias", "language", "kind", "note", "source"):
            # fold: a long source (a URL) breaks across lines instead of losing its end.
            aliases.add_column(column, overflow="fold")
        for alias in entity.aliases:
            kind = f"{alias.kind}, context only" if alias.context_only else alias.kind
            fields = (alias.text, alias.language, kind, alias.note, alias.source)
            aliases.add_row(*(Text(value) for value in fields))
        parts.append(aliases)
    return Group(*parts, Text())


def revision_view(revision: DataRevision) -> RenderableType:
    """The loaded revision, its counts and the alias tables it came from."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row("revision", Text(revision.revision, style="bold"))
    facts.add_row("scorer", Text(revision.scorer_version or "-"))
    loaded = revision.loaded_at.isoformat(timespec="seconds") if revision.loaded_at else "-"
    facts.add_row("loaded at", Text(loaded))
    facts.add_row("entities", Text(str(revision.entity_count)))
    facts.add_row("aliases", Text(str(revision.alias_count)))
    facts.add_row("held", Text(", ".join(revision.held_revisions) or "-"))
    for layer in revision.layers:
        facts.add_row(
            "layer",
            Text(
                f"{layer.name} ({layer.folder}, priority {layer.priority}): {layer.entity_count:,}"
                f" entities; {layer.source}; licence {layer.licence}"
            ),
        )
    last = revision.last_reload
    if last is not None:
        at = last.attempted_at.isoformat(timespec="seconds") if last.attempted_at else "-"
        if last.succeeded:
            facts.add_row("last reload", Text(f"{at}: ok, {last.revision}"))
        else:
            facts.add_row(
                "last reload",
                Text(f"{at}: failed; still serving {revision.revision}", style="bold red"),
            )
            for problem in last.problems:
                facts.add_row("", Text(problem, style="red"))

    files = Table(title="source files", title_justify="left", box=None, pad_edge=False)
    files.add_column("path", overflow="fold")
    files.add_column("entities", justify="right")
    files.add_column("sha256", no_wrap=True)
    for source in revision.source_files:
        # A prefix tells files apart; --json has the full hash.
        digest = Text(source.sha256[:12])
        files.add_row(Text(source.path), Text(str(source.entity_count)), digest)
    return Group(facts, Text(), files)


def annotated_text(text: str, annotation: Annotation) -> Text:
    """The text with each mention styled by its outcome and numbered: "Shen Yuanxi[3]"."""
    out = Text()
    at = 0
    for number, mention in enumerate(annotation.mentions, start=1):
        out.append(text[at : mention.start])
        style = _OUTCOME_STYLES.get(mention.resolution.outcome, "bold")
        out.append(text[mention.start : mention.end], style=f"{style} underline")
        out.append(f"[{number}]", style="dim")
        at = mention.end
    out.append(text[at:])
    return out


def mentions_view(annotation: Annotation) -> RenderableType:
    """One line per mention: its number, place, outcome, entity and score, then why."""
    lines: list[RenderableType] = [
        Text(f"\n{len(annotation.mentions)} mentions · revision {annotation.revision}", style="dim")
    ]
    for number, mention in enumerate(annotation.mentions, start=1):
        resolution = mention.resolution
        best = resolution.best
        lines.append(
            Text.assemble(
                f"{number:>4}  ",
                (f"{mention.start}-{mention.end}", "dim"),
                "  ",
                (mention.text, "bold"),
                "  ",
                (resolution.outcome, _OUTCOME_STYLES.get(resolution.outcome, "bold")),
                "  ",
                (best.entity_id if best else "-", "cyan"),
                f"  {best.score:.2f}" if best else "",
            )
        )
        if best is not None and (best.context_evidence or resolution.outcome != "resolved"):
            decided = (
                f" (decided by [{', '.join(str(i + 1) for i in mention.decided_by)}])"
                if mention.decided_by
                else ""
            )
            lines.append(_detail("why", best.explanation + decided))
        if resolution.outcome == "ambiguous":
            others = ", ".join(c.entity_id for c in resolution.candidates[1:])
            if others:
                lines.append(_detail("or", others))
    return Group(*lines)
