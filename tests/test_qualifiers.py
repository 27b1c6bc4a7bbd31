"""A name's qualifier after a comma ("Kilburn, London"), split off."""

from __future__ import annotations

import pytest

from entnorm_server.qualifiers import split_qualifier


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Kilburn, London", ("Kilburn", "London")),
        ("نیوبرگ، اورگن", ("نیوبرگ", "اورگن")),  # the Arabic comma
        ("滑铁卢，塞拉利昂", ("滑铁卢", "塞拉利昂")),  # the full-width comma
        ("Mianzhu, Deyang, Sichuan", ("Mianzhu", "Deyang, Sichuan")),  # the first comma
        ("Kilburn", None),
        ("Kilburn,", None),
        (", London", None),
        ("東京、大阪", None),  # the ideographic comma lists names, it qualifies none
    ],
)
def test_split_qualifier(text: str, split: tuple[str, str] | None) -> None:
    assert split_qualifier(text) == split
