"""A fuzzy match's evidence: its edits (a swap of neighbours is one), and whether another
entity's name is as near to the query (a slip may be of either)."""

from __future__ import annotations

from conftest import WriteTables
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from entnorm_server.fuzzy import weigh_edits
from entnorm_server.resolution import Outcome, Query
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, load_snapshot

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=16)


def test_a_swap_of_neighbours_is_one_edit() -> None:
    edits = weigh_edits("geoffrey hintno", "geoffrey hinton")
    assert edits.letters == 1
    assert "⇄" in edits.described
    assert Levenshtein.distance("geoffrey hintno", "geoffrey hinton") == 2


@given(WORDS, st.data())
def test_any_swap_of_two_different_neighbours_weighs_one_letter(
    word: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(word) - 2))
    swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    edits = weigh_edits(word, swapped)
    if word[at] == word[at + 1]:
        assert edits.letters == 0
    else:
        assert edits.letters <= 1
        assert 0 < edits.similarity < 1


@given(WORDS, WORDS)
def test_edits_never_count_more_letters_than_levenshtein(a: str, b: str) -> None:
    assert weigh_edits(a, b).letters <= Levenshtein.distance(a, b)


def places(write_tables: WriteTables, *names: str) -> Snapshot:
    entities = "".join(
        f"  - {{id: place:p{i}, type: place, display_name: {n}, names: {{en: {n}}}}}\n"
        for i, n in enumerate(names)
    )
    return load_snapshot(write_tables({"places.yaml": "entities:\n" + entities}))


def top(snapshot: Snapshot, text: str) -> tuple[str, float, bool]:
    best = Resolver().resolve(snapshot, Query(text)).candidates[0]
    assert best.evidence is not None
    return best.entity.display_name, best.score, best.evidence.rival_near


def test_a_slip_with_no_other_name_near_is_alone(write_tables: WriteTables) -> None:
    snapshot = places(write_tables, "Collingwood", "Springfield")
    assert top(snapshot, "Colingwood")[::2] == ("Collingwood", False)


def test_a_slip_as_near_to_another_name_has_a_rival_and_scores_lower(
    write_tables: WriteTables,
) -> None:
    alone = top(places(write_tables, "Collingwood", "Springfield"), "Colingwood")
    # "Colinwood" is two edits from the query, one more than Collingwood: a rival all the same.
    name, score, rival = top(places(write_tables, "Collingwood", "Colinwood"), "Colingwood")
    assert (name, rival) == ("Collingwood", True)
    assert score < alone[1]


def test_a_name_the_query_equals_is_a_rival_of_a_slip(write_tables: WriteTables) -> None:
    # "Parks" may be a slip in "Paris", or the name of Parks itself. (Exhaustive: the exact
    # match leaves no room for Paris to change the outcome, so it is not otherwise asked for.)
    snapshot = places(write_tables, "Paris", "Parks")
    found = Resolver(exhaustive=True).resolve(snapshot, Query("Parks"))
    paris = next(c for c in found.candidates if c.entity.display_name == "Paris")
    assert paris.evidence is not None
    assert paris.evidence.rival_near


def test_each_token_tolerates_edits_by_its_own_length() -> None:
    # One letter of four changes a country ("Iraq", "Iran"); one of eleven is a slip.
    assert weigh_edits("emetab iraq", "emetab iran").token_share == 0.25
    assert weigh_edits("colingwood", "collingwood").token_share == 1 / 11
    # An initial more is a whole token: George A. Papandreou is not George Papandreou.
    assert weigh_edits("george a papandreou", "george papandreou").token_share == 1.0


@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(WORDS, min_size=1, max_size=4))
def test_the_token_share_is_a_share(a: list[str], b: list[str]) -> None:
    assert 0.0 <= weigh_edits(" ".join(a), " ".join(b)).token_share <= 1.0


def test_a_name_with_a_quarter_of_a_part_changed_is_a_rival_not_an_answer(
    write_tables: WriteTables,
) -> None:
    table = """\
    entities:
      - {id: "person:kim-jong-il", type: person, display_name: Kim Jong Il,
         names: {en: Kim Jong-il}}
      - {id: "person:shin-won-sik", type: person, display_name: Shin Won-sik,
         names: {en: Shin Won-sik}}
    """
    snapshot = load_snapshot(write_tables({"people.yaml": table}))
    for query, near in (("Kim Jong-pil", "Kim Jong Il"), ("Shin Won-suk", "Shin Won-sik")):
        found = Resolver().resolve(snapshot, Query(query))
        assert found.outcome is Outcome.AMBIGUOUS, query
        best = found.candidates[0]
        assert best.entity.display_name == near
        assert "another name as often as a slip" in best.explanation
    # A slip in a longer part is an answer.
    found = Resolver().resolve(snapshot, Query("Shinn Won-sik"))
    assert (found.outcome, found.candidates[0].entity.display_name) == (
        Outcome.RESOLVED,
        "Shin Won-sik",
    )
