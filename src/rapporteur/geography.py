"""Countries to UN M49 regions, and the reference of the 193 UN Member States.

Country data comes from ``country_converter`` (its ``UNregion`` column holds the finest M49 group of
each country, e.g. "Western Africa", and its ``UNmember`` column the year of admission). The only
table written here is the M49 *hierarchy* itself: which intermediate regions belong to which
sub-region, and which sub-regions to which region (UN Statistics Division, "Standard country or
area codes for statistical use", series M, No. 49).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Intermediate regions → M49 sub-region.
_INTERMEDIATE_TO_SUBREGION = {
    "Eastern Africa": "Sub-Saharan Africa",
    "Middle Africa": "Sub-Saharan Africa",
    "Southern Africa": "Sub-Saharan Africa",
    "Western Africa": "Sub-Saharan Africa",
    "Caribbean": "Latin America and the Caribbean",
    "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
    "Channel Islands": "Northern Europe",
}
# M49 sub-region → region.
_SUBREGION_TO_REGION = {
    "Northern Africa": "Africa",
    "Sub-Saharan Africa": "Africa",
    "Latin America and the Caribbean": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    region: str | None
    subregion: str | None
    un_member: bool
    un_member_since: int | None


class UnknownCountry(ValueError):
    pass


@lru_cache(maxsize=1)
def _table():
    """Load country_converter's table once (about 0.3 s); keyed by ISO3."""
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    data = coco.CountryConverter().data
    table: dict[str, Country] = {}
    for row in data.itertuples(index=False):
        finest = row.UNregion if isinstance(row.UNregion, str) else None
        subregion = _INTERMEDIATE_TO_SUBREGION.get(finest, finest) if finest else None
        region = _SUBREGION_TO_REGION.get(subregion) if subregion else None
        since = row.UNmember
        member = since is not None and str(since) not in ("<NA>", "nan")
        table[row.ISO3] = Country(
            iso3=row.ISO3,
            name=row.name_short,
            region=region,
            subregion=subregion,
            un_member=member,
            un_member_since=int(since) if member else None,
        )
    return table, coco


def country(code_or_name: str) -> Country:
    """Look a country up by ISO3 code, ISO2 code or name.

    >>> country("NGA").subregion
    'Sub-Saharan Africa'
    >>> country("Mexico").region
    'Americas'
    """
    table, coco = _table()
    key = code_or_name.strip()
    if key.upper() in table:
        return table[key.upper()]
    if not key:
        raise UnknownCountry("empty country")
    iso3 = coco.convert(key, to="ISO3", not_found=None)
    if isinstance(iso3, str) and iso3 in table:
        return table[iso3]
    raise UnknownCountry(f"unknown country {code_or_name!r}")


@lru_cache(maxsize=1)
def country_names() -> tuple[str, ...]:
    """Short names of every country and territory, longest first (for matching in text)."""
    table, _ = _table()
    names = {c.name for c in table.values()} | {"United States of America", "Russian Federation", "European Union"}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def member_states() -> list[Country]:
    """The 193 UN Member States: the reference population for representation."""
    table, _ = _table()
    return sorted((c for c in table.values() if c.un_member), key=lambda c: c.iso3)
