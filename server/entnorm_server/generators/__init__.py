"""Candidate generators: each owns an index, built when a snapshot is compiled, and turns a
prepared query into candidates from it, with evidence of how it met each one. The resolver runs
every generator and keeps each entity's best candidate, so a generator only says what it found;
it never scores and never decides.

A new kind of match is a module here: an index with `build(TableForms)`, and a generator that
reads it; list both below.
"""

from __future__ import annotations

from entnorm_server.generators.common import CandidateGenerator
from entnorm_server.generators.cyrillic import CyrillicSoundIndex, CyrillicTranscriptionTier
from entnorm_server.generators.kana import KanaConsonantsTier, KanaSkeletonIndex
from entnorm_server.generators.keys import EXACT_TIERS, KeyIndex
from entnorm_server.generators.near import FuzzyIndex, FuzzyTier
from entnorm_server.generators.query import PreparedQuery
from entnorm_server.generators.variant import VariantIndex, VariantTiers
from entnorm_server.table import Index

__all__ = ["EXACT_TIERS", "GENERATORS", "INDEXES", "CandidateGenerator", "PreparedQuery"]

GENERATORS: tuple[CandidateGenerator, ...] = (
    *EXACT_TIERS,
    VariantTiers(),
    FuzzyTier(),
    KanaConsonantsTier(),
    CyrillicTranscriptionTier(),
)
INDEXES: tuple[type[Index], ...] = (
    KeyIndex,
    VariantIndex,
    FuzzyIndex,
    KanaSkeletonIndex,
    CyrillicSoundIndex,
)
