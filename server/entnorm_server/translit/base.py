"""What every transliterator returns: Latin renderings of a name, each with the route it took."""

from __future__ import annotations

from dataclasses import dataclass

from entnorm_server.routes import Step


@dataclass(frozen=True, slots=True)
class Romanization:
    """One Latin rendering of a name.

    `text` is Latin script as a person would write it ("Shin Won-sik", "Zelenskyy"); callers fold
    it into keys themselves. `route` is the step that made it, read as data by the rules and
    described for explanations: "uk Cyrl → Latn (KMU 2010)".
    """

    text: str
    route: Step
