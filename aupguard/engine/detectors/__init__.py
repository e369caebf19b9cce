"""Detectors: patterns and validators that find personal data in text.

Pure standard library. `identifiers` finds checksummed identifiers (payment cards, NHS numbers,
National Insurance numbers, Unique Pupil Numbers, UK mobiles) in one pass and returns them with
redacted evidence only.
"""

from aupguard.engine.detectors.identifiers import (
    KINDS,
    Match,
    find_card_numbers,
    find_identifiers,
    find_nhs_numbers,
    find_ni_numbers,
    find_uk_mobiles,
    find_upns,
    is_valid_card,
    is_valid_nhs,
    is_valid_nino,
    is_valid_uk_mobile,
    is_valid_upn,
)

__all__ = [
    "KINDS",
    "Match",
    "find_card_numbers",
    "find_identifiers",
    "find_nhs_numbers",
    "find_ni_numbers",
    "find_uk_mobiles",
    "find_upns",
    "is_valid_card",
    "is_valid_nhs",
    "is_valid_nino",
    "is_valid_uk_mobile",
    "is_valid_upn",
]
