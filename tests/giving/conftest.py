"""A small hand-made church ledger for the giving tests, with awkward donors on purpose."""

import csv
import datetime as dt
from pathlib import Path

import pytest

from finsek.ledger.donors import COLUMNS
from finsek.ledger.template import create_ledger

TODAY = dt.date(2026, 1, 20)

#: Rows of donors.csv: quotes, commas, accents, line breaks in address lines, a household, an alias.
DONORS = [
    dict(id="D0001", name="Anna Svensson", household="H1", address1="Storgatan 1", postal_code="111 22",
         city="Uppsala", country="SE", email="anna@example.org", envelope="101", tax_id="19800101-1234"),
    dict(id="D0002", name='Pat "Paddy" O\'Brien, Jr.', household="H2",
         address1='12 Elm St, Building "C"\nSuite 4, rear entrance', address2="c/o Smith, Jones & Co.",
         postal_code="02134", city="Boston, MA", country="US", email="pat@example.com", envelope="102",
         notes='Likes "quotes", commas, and\nline breaks'),
    dict(id="D0003", name="Björn Svensson", household="H1", address1="Storgatan 1", postal_code="111 22",
         city="Uppsala", country="SE", envelope="103"),
    dict(id="D0004", name="A. Svensson", household="H1", notes="duplicate", alias_of="D0001"),
    dict(id="D0005", name="Zoë Łukasiewicz-Nguyễn", household="", address1="Ulica Długa 5", postal_code="00-001",
         city="Warszawa", country="PL", envelope="105"),
    dict(id="D0006", name="No Gifts", household="H6", address1="1 Quiet Lane", city="Springfield", country="US"),
]

ADDRESS = "100 Church Street\nSpringfield, IL 62701"

ENTRIES = """
2024-12-29 * "Gift" "Last year"
  Assets:Bank:Checking               80.00 USD
  Income:Contributions:Offerings    -80.00 USD
    donor: "D0001"
    method: "check"

2025-01-05 * "Offering" "Sunday offering"
  counted-by: "A. B, C. D"
  Assets:Bank:Checking              545.00 USD
  Income:Contributions:Offerings   -100.00 USD
    donor: "D0001"
    method: "check"
    check: "1001"
  Income:Contributions:Offerings    -40.00 USD
    method: "cash"
  Income:Contributions:Designated  -250.00 USD
    fund: "building"
    donor: "D0002"
    method: "check"
    check: "881"
  Income:Contributions:Offerings    -55.00 USD
    donor: "D0004"
    method: "cash"
  Income:Contributions:Offerings    -100.00 USD
    donor: "D0003"
    method: "online"

2025-03-15 * "Spring gala" "Dinner tickets"
  Assets:Bank:Checking              200.00 USD
  Income:Fundraising               -150.00 USD
    donor: "D0002"
    method: "card"
    goods-services: 40.00 USD
  Income:Fundraising                -50.00 USD
    donor: "D0002"
    method: "card"
    goods-services: 10.00 USD

2025-06-01 * "Gift" "Online gift"
  donor: "D0002"
  Assets:Bank:Checking              300.00 USD
  Income:Contributions:Offerings   -300.00 USD
    method: "online"

2025-07-04 * "Gift" "Loose cash"
  Assets:Bank:Checking               33.00 USD
  Income:Contributions:Offerings    -33.00 USD
    method: "cash"

2025-08-01 * "Refund" "Returned duplicate online gift"
  Assets:Bank:Checking              -20.00 USD
  Income:Contributions:Offerings     20.00 USD
    donor: "D0001"
    method: "online"

2025-09-09 * "Gift" "Missions"
  Assets:Bank:Checking              210.00 USD
  Income:Contributions:Designated  -210.00 USD
    fund: "missions"
    donor: "D0005"
    method: "transfer"

2025-12-31 * "Interest"
  Assets:Bank:Savings                 1.23 USD
  Income:Interest                    -1.23 USD

2026-01-04 * "Gift" "New year"
  Assets:Bank:Checking               60.00 USD
  Income:Contributions:Offerings    -60.00 USD
    donor: "D0002"
    method: "check"

2025-01-01 custom "pledge" "D0002" "building" 1200.00 USD
2025-01-01 custom "pledge" "D0004" "general" 500.00 USD
2025-02-01 custom "pledge" "D0005" "missions" 1000.00 USD 2026-12-31 "Mission trip"
"""


def write_donors(folder: Path, rows: list[dict]) -> None:
    with open(folder / "donors.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


def make_church(folder: Path, locale: str = "en_US", currency: str = "USD", extra: str = "") -> Path:
    main = create_ledger(folder, "Grace Church of Springfield", currency=currency, locale=locale, today=TODAY,
                         start=dt.date(2024, 1, 1))
    write_donors(folder, DONORS)
    with open(folder / "accounts.beancount", "a", encoding="utf-8") as handle:
        handle.write('\n2024-01-01 custom "finsek" "address" "' + ADDRESS + '"\n')
        handle.write('2024-01-01 custom "finsek" "tax-id" "12-3456789"\n')
    text = ENTRIES.replace(" USD", f" {currency}") + extra
    (folder / "2025.beancount").open("a", encoding="utf-8").write(text)
    return main


@pytest.fixture
def church(tmp_path) -> Path:
    return make_church(tmp_path / "church")
