"""Skattereduktion för gåvor: which gifts count, per person, and the yearly list for Skatteverket.

The rules (inkomstskattelagen 67 kap. 20–26 §§, as Skatteverket explains
them for approved gåvomottagare):

- A person, never a household, gets the reduction: each donor's gifts are
  counted under that donor's own personnummer (merged donor ids count as the
  surviving donor; a household statement lists each member separately).
- Only money gifts of at least 200 kr at one occasion count, and only when
  the person's counted gifts in the year reach 2 000 kr in all.
- Only gifts to a purpose that qualifies (social welfare or scientific
  research) count: the funds that serve one are named by the ledger in
  ``custom "finsek" "gift-purposes" "diakoni, forskning"``. Without that
  line no gift counts, and a problem says how to name them.
- A payment with something in return (``goods-services``) is not a gift
  under Swedish rules and never counts, in whole or in part.
- Gifts of a person without a valid personnummer cannot be reported; the
  personnummer is checked (date and check digit) by python-stdnum.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from beancount.core import data
from stdnum.se import personnummer

from finsek.giving.pledges import Gift
from finsek.ledger import conventions as conv

MINIMUM_GIFT = Decimal(200)
MINIMUM_YEAR = Decimal(2000)
PURPOSES_SETTING = "gift-purposes"
ZERO = Decimal(0)


@dataclass
class PersonTotal:
    """One donor's counted gifts in the year, and whether they go to Skatteverket."""

    donor: str
    name: str
    personnummer: str
    counted: Decimal
    gifts: int
    problem: str = ""

    @property
    def reported(self) -> bool:
        return bool(self.personnummer) and self.counted >= MINIMUM_YEAR and not self.problem


@dataclass
class Reduction:
    year: int
    people: list[PersonTotal]
    purposes: frozenset[str]
    problems: list[str] = field(default_factory=list)

    @property
    def reported(self) -> list[PersonTotal]:
        return [person for person in self.people if person.reported]


def purposes(books) -> frozenset[str] | None:
    """The funds whose gifts qualify, from ``custom "finsek" "gift-purposes"``; None when the ledger has no line."""
    found = None
    for entry in books.entries:
        if isinstance(entry, data.Custom) and entry.type == "finsek":
            values = conv.custom_values(entry)
            if len(values) >= 2 and values[0] == PURPOSES_SETTING:
                found = frozenset(part.strip().lower() for part in re.split(r"[,\s]+", str(values[1])) if part.strip())
    return found


def counts(gift: Gift, qualifying_funds: frozenset[str]) -> bool:
    """A gift that counts: at least 200 kr, nothing in return, to a purpose that qualifies."""
    return gift.amount >= MINIMUM_GIFT and not gift.goods_services and gift.fund.lower() in qualifying_funds


def checked_personnummer(value: str) -> tuple[str, str]:
    """``(YYYYMMDD-NNNN or '', problem)``: a valid personnummer (or samordningsnummer) in one form."""
    text = value.strip()
    if not text:
        return "", ""
    if not personnummer.is_valid(text):
        return "", "its personnummer is not valid (a wrong date or check digit)"
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) == 10:
        digits = f"{personnummer.get_birth_date(text).year // 100}{digits}"
    return f"{digits[:8]}-{digits[8:]}", ""


def person_totals(books, year: int, gifts: list[Gift]) -> Reduction:
    """Each donor's counted gifts of ``year`` (from ``gifts`` of that year), per person."""
    found = purposes(books)
    problems = []
    if found is None:
        problems.append(
            'No gift counts for skattereduktion until the ledger names the funds that serve social welfare or '
            'research: add custom "finsek" "gift-purposes" "<fund>, <fund>" to accounts.beancount.'
        )
    qualifying_funds = found or frozenset()
    registry = books.donors
    by_donor: dict[str, list[Gift]] = {}
    for gift in gifts:
        if gift.date.year == year and counts(gift, qualifying_funds):
            by_donor.setdefault(gift.donor, []).append(gift)
    people = []
    for donor, counted in sorted(by_donor.items()):
        record = registry.get(donor)
        number, problem = checked_personnummer(record.tax_id if record else "")
        total = sum((gift.amount for gift in counted), ZERO)
        person = PersonTotal(donor, record.name if record else donor, number, total, len(counted), problem)
        if total >= MINIMUM_YEAR and not number:
            problems.append(f"{donor} ({person.name}) gave {total} kr that count, but "
                            f"{problem or 'has no personnummer in donors.csv'}: ask for it, or it cannot be reported.")
        people.append(person)
    return Reduction(year, people, qualifying_funds, problems)


def skatteverket_csv(reduction: Reduction, orgnr: str, made: dt.date) -> bytes:
    """The yearly list: personnummer and counted gifts in whole kronor (rounded down), one row per person.

    Semicolon-separated, as Swedish spreadsheets read it; the figures to report
    in Skatteverket's e-service for gåvomottagare (kontrolluppgift om gåva).
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Gåvomottagare", orgnr, "Inkomstår", reduction.year, "Upprättad", made.isoformat()])
    writer.writerow(["Personnummer", "Gåvobelopp (kr)"])
    for person in sorted(reduction.reported, key=lambda item: item.personnummer):
        writer.writerow([person.personnummer, person.counted.quantize(Decimal(1), ROUND_DOWN)])
    return out.getvalue().encode("utf-8-sig")
