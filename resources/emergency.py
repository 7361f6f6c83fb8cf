"""The emergency number of each country, kept as data (resources/data/emergency_numbers.csv)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django_countries import countries

from core.phones import tel_href

DATA = Path(__file__).resolve().parent / "data" / "emergency_numbers.csv"


@dataclass(frozen=True)
class EmergencyNumber:
    country: str
    country_name: str
    number: str

    @property
    def href(self):
        return tel_href(self.number)


@cache
def emergency_numbers():
    rows = (line for line in DATA.read_text().splitlines() if not line.startswith("#"))
    return {row["country"]: row["number"] for row in csv.DictReader(rows)}


def emergency_number_for(country):
    """The emergency number for a country, or None when we do not know it (or no country is set)."""
    number = emergency_numbers().get(str(country or ""))
    if number is None:
        return None
    return EmergencyNumber(country=str(country), country_name=countries.name(country), number=number)
