"""Actors as states: GDELT's CAMEO country codes and ICEWS's country names to ISO 3166-1.

relscore's actors are the ISO 3166-1 alpha-3 codes of current countries (from pycountry,
the codes ``relscore validate`` accepts). Each importer maps its own spelling onto them
and counts what it cannot map, never guessing:

* **GDELT** gives CAMEO country codes, which are ISO alpha-3 except for a few older codes
  (:data:`CAMEO_ALIASES`) and CAMEO's regions (:data:`CAMEO_REGIONS`: ``EUR``, ``AFR``,
  ``MEA``, ...). A region is not a state, so a row with a regional actor is counted out
  under its own reason; any other code that is not ISO (``WSB`` West Bank, ``KSV``
  Kosovo) is counted out and listed.
* **ICEWS** gives country names ("Iran", "Occupied Palestinian Territory"), matched
  without regard to case against pycountry's names, official names and common names;
  :data:`ICEWS_ALIASES` adds the names pycountry misses (those in the 2018 sample and a
  few frequent others). Unmatched names are counted out and listed.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pycountry


@cache
def iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes of current countries (from pycountry): relscore's actors."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


def actor_hint(text: str) -> str:
    """A hint for an actor that is not an ISO 3166-1 alpha-3 code: the code of the country
    ``text`` names, in lower case, as an alpha-2 code or by name; "" when none is found.

    Examples
    --------
    >>> actor_hint("pak"), actor_hint("Pakistan"), actor_hint("IR")
    ("; did you mean 'PAK'?", "; did you mean 'PAK' (Pakistan)?", "; did you mean 'IRN' (Iran)? \
IR is its alpha-2 code")
    >>> actor_hint("XYZ")
    ''
    """
    text = text.strip()
    if text.upper() in iso3_codes():
        return f"; did you mean {text.upper()!r}?"
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return ""
    name = getattr(country, "common_name", country.name)
    alpha2 = f" {text.upper()} is its alpha-2 code" if text.upper() == country.alpha_2 else ""
    return f"; did you mean {country.alpha_3!r} ({name})?{alpha2}"


# CAMEO country codes that differ from ISO 3166-1 alpha-3 for the same state.
CAMEO_ALIASES = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE", "IMY": "IMN"}

# CAMEO's regional actor codes (the CAMEO actor codebook's "regions"): not states.
CAMEO_REGIONS = frozenset(
    {
        "AFR", "ASA", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR",
        "LAM", "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF",
        "WST",
    }
)  # fmt: skip

# ICEWS country names that pycountry's lookup does not match, and their ISO alpha-3.
ICEWS_ALIASES = {
    "Occupied Palestinian Territory": "PSE",
    "Turkey": "TUR",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "Macedonia": "MKD",
    "Cote d'Ivoire": "CIV",
    "Ivory Coast": "CIV",
    "Holy See": "VAT",
    "Vatican City": "VAT",
    "Democratic Republic of Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Republic of Congo": "COG",
    "Swaziland": "SWZ",
    "Russia": "RUS",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "Brunei": "BRN",
    "East Timor": "TLS",
    "Micronesia": "FSM",
    "Macau": "MAC",
}


@cache
def iso3_table() -> np.ndarray:
    """The ISO 3166-1 alpha-3 codes relscore knows, sorted, as ``S3`` bytes."""
    return np.array(sorted(iso3_codes()), dtype="S3")


@cache
def cameo_table() -> tuple[np.ndarray, np.ndarray]:
    """Every 3-letter CAMEO code that maps to a state or a region, sorted as ``S3`` bytes,
    and for each its position in :func:`iso3_table` (``-1`` for a region)."""
    iso = iso3_table()
    position = {code.decode(): i for i, code in enumerate(iso)}
    target = {code: code for code in position} | CAMEO_ALIASES
    target |= dict.fromkeys(CAMEO_REGIONS)
    codes = sorted(target)
    values = [-1 if target[c] is None else position[target[c]] for c in codes]
    return np.array(codes, dtype="S3"), np.array(values, dtype=np.int64)


@cache
def _names() -> dict[str, str]:
    """Lower-cased country name, official name and common name -> ISO alpha-3."""
    names = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names[getattr(country, attribute).lower()] = country.alpha_3
    return names | {k.lower(): v for k, v in ICEWS_ALIASES.items()}


def iso3_of_name(name: str) -> str | None:
    """ISO alpha-3 of a country name (any case), or None if neither pycountry's names nor
    :data:`ICEWS_ALIASES` know it. Codes are not names: ``"NA"`` is not Namibia."""
    return _names().get(name.lower())


def names_to_iso_positions(names: list[str]) -> np.ndarray:
    """Position in :func:`iso3_table` of each name's country, ``-1`` where unmatched."""
    position = {code.decode(): i for i, code in enumerate(iso3_table())}
    return np.array([position.get(iso3_of_name(n), -1) for n in names], dtype=np.int64)
