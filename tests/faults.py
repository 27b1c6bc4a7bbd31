"""A fault to put into a real server: a candidate generator with a bug that one name sets off.

Generators are the resolver's extension point, so a server built with this one runs its own code
end to end; only the bug is the test's.
"""

from __future__ import annotations

from collections.abc import Iterable

from entnorm_server.generators import GENERATORS, PreparedQuery
from entnorm_server.resolution import Candidate
from entnorm_server.resolver import Resolver
from entnorm_server.table import IndexedTable

FAULTY = "Faulty Name For Tests"


class FaultyGenerator:
    def candidates(self, query: PreparedQuery, table: IndexedTable) -> Iterable[Candidate]:
        if query.query.text == FAULTY:
            raise KeyError("ᆭ")  # what korean-romanizer once raised
        return ()


def faulty_resolver() -> Resolver:
    return Resolver((*GENERATORS, FaultyGenerator()))
