"""A realistic, seeded demo ledger: a congregation of about 150 households.

``generate_demo`` makes a ledger folder with ``create_ledger`` and fills it
with years of plausible books, written as text straight into the year files
(one write per file):

- ``donors.csv``: invented households (a few couples), addresses, envelopes,
  and one merged duplicate (``alias_of``);
- opening balances per bank account and per fund;
- weekly Sunday offerings (one deposit each, counted by two volunteers) with
  envelope gifts by cash and check, loose plate cash, designated gifts to the
  building, missions and benevolence funds, bigger at Easter and Christmas,
  and a Christmas Eve special offering;
- recurring online gifts (monthly and weekly), mailed checks, large year-end
  gifts, and a building campaign year followed by a roof project;
- payroll, utilities that follow the seasons, insurance, missions giving,
  ministry and office spending, benevolence, bank fees, savings interest, board
  transfers between funds, sweeps between checking and savings;
- the controls an auditor looks for (docs/audit.md): every payment of
  ``RECEIPT_THRESHOLD`` or more names its receipt (``receipt:``, a small text
  file under ``documents/YEAR/``: the invoice, the payroll register, the
  remittance, the deacons' benevolence record), and every payment above
  ``APPROVAL_THRESHOLD`` or charged to a restricted fund says who approved it
  (``approved-by:``: a board member, never one of the offering counters; the
  deacons for benevolence, the church council for the roof);
- a ``balance`` assertion for both bank accounts on the first of every month.

Everything comes from ``random.Random(seed)`` and ``today``: the same
arguments give byte-identical files. Money is ``Decimal`` with two decimals;
balances are tracked while generating in date order so every assertion holds
and checking never goes below zero.
"""

import csv
import datetime as dt
import os
import random
import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Decimal
from math import isqrt
from pathlib import Path
from typing import Any

from finsek.core.dates import MONTH_NAMES
from finsek.core.errors import Refused
from finsek.core.money import ledger_number
from finsek.core.text import quote
from finsek.ledger.donors import COLUMNS
from finsek.ledger.donors import FILENAME as DONORS_FILE
from finsek.ledger.template import FUNDS as TEMPLATE_FUNDS
from finsek.ledger.template import create_ledger

CURRENCY = "USD"
BASE_HOUSEHOLDS = 150
MIN_HOUSEHOLDS = 12
#: An envelope system tops out around this many households; beyond it people give online.
ENVELOPE_CAP = 320

CHECKING = "Assets:Bank:Checking"
SAVINGS = "Assets:Bank:Savings"
OPENING = "Equity:NetAssets:Opening"
TRANSFERS = "Equity:Transfers"
OFFERINGS = "Income:Contributions:Offerings"
DESIGNATED = "Income:Contributions:Designated"
SPECIAL = "Income:Contributions:Special"

FUNDS = ("general", "building", "missions", "benevolence")
RESTRICTED = frozenset(fund for fund, _, klass in TEMPLATE_FUNDS if klass == "restricted")

#: The audit's default thresholds (finsek.audit.checks.settings; the template sets none): payments of
#: ``RECEIPT_THRESHOLD`` or more keep their receipt, payments above ``APPROVAL_THRESHOLD`` name who approved them.
RECEIPT_THRESHOLD = Decimal("75.00")
APPROVAL_THRESHOLD = Decimal("500.00")
#: How a receipt names the lines of a bill that has several.
RECEIPT_LABELS = {"Expenses:Personnel:Salaries": "Gross salaries", "Expenses:Personnel:Taxes": "Employer payroll taxes",
                  "Expenses:Missions:Denominational": "Remitted"}
#: Board members who approve payments (never the offering counters: separation of duties).
BOARD_SIZE = 3

# Household shares of each giving pattern (the rest give now and then).
SHARE_ENVELOPE = Decimal("0.45")
SHARE_MONTHLY = Decimal("0.25")
SHARE_WEEKLY = Decimal("0.05")
SHARE_MAIL = Decimal("0.10")
SHARE_ANNUAL = Decimal("0.03")
SHARE_COUPLES = 0.12

#: Days of the month recurring online gifts are drawn on (one per giver).
ONLINE_DAYS = (1, 1, 1, 5, 10, 15, 15, 15, 20, 25, 28)
#: Chance, per mail-giver and month, of a check in the mail.
P_MAIL = Decimal("0.33")
#: Year-end gifts fall between these December days.
ANNUAL_DAYS = (10, 30)

# Monthly bills: (day of month, kind); day 0 is the month's last day.
MONTHLY = (
    (3, "electric"),
    (5, "rental"),
    (8, "gas"),
    (10, "benefits"),
    (10, "sweep"),
    (12, "water"),
    (18, "telecom"),
    (20, "missions"),
    (25, "payroll"),
    (28, "fees"),
    (0, "interest"),
)
QUARTERLY = ((1, 15, "insurance"), (4, 15, "insurance"), (7, 15, "insurance"), (10, 15, "insurance"),
             (3, 22, "local"), (6, 22, "local"), (9, 22, "local"), (12, 22, "local"))
YEARLY = ((5, 12, "rummage"), (6, 30, "missions-transfer"), (10, 20, "dinner"), (12, 31, "year-end"))

#: Discretionary spending per month: (kind, least, most payments per month before scaling).
RANDOM_MONTHLY = (("office", 1, 2), ("maintenance", 0, 2), ("worship", 0, 2), ("education", 0, 2),
                  ("youth", 0, 2), ("benevolence", 0, 2))

FIRST_NAMES = (
    "Anna", "Bengt", "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David",
    "Elizabeth", "William", "Susan", "Richard", "Margaret", "Joseph", "Dorothy", "Thomas", "Karen",
    "Charles", "Nancy", "Daniel", "Betty", "Matthew", "Sandra", "Anthony", "Ruth", "Mark", "Sharon",
    "Paul", "Carol", "Steven", "Grace", "Andrew", "Esther", "Joshua", "Hannah", "Kevin", "Miriam",
    "Brian", "Lydia", "George", "Naomi", "Edward", "Deborah", "Ronald", "Rebecca", "Timothy", "Martha",
    "Jason", "Rachel", "Jeffrey", "Abigail", "Samuel", "Judith", "Gregory", "Joyce", "Peter", "Evelyn",
    "Nathan", "Olivia", "Isaac", "Chloe", "Aaron", "Sofia", "Jonah", "Ingrid", "Lars", "Amara",
    "Kwame", "Mei", "Hiroshi", "Priya", "Rafael", "Lucia", "Tomas", "Elena", "Mateo", "Ayesha",
)
LAST_NAMES = (
    "Svensson", "Jones", "Alvarez", "Okafor", "Nguyen", "Becker", "Smith", "Johnson", "Williams",
    "Brown", "Miller", "Davis", "Garcia", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
    "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey",
    "Bell", "Kim", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett",
    "Gray", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Lindqvist", "Haugen",
    "Mensah", "Castillo", "Tanaka", "Patel", "Kowalski", "O'Brien", "Fischer", "Dubois", "Rossi",
)
STREETS = (
    "Maple Street", "Oak Avenue", "Cedar Lane", "Elm Street", "Church Road", "Hillcrest Drive",
    "Riverside Drive", "Pine Court", "Willow Way", "Meadow Lane", "Park Avenue", "Lakeview Road",
    "Orchard Street", "Chestnut Avenue", "Birch Road", "Sunset Boulevard", "Valley View Drive",
    "Mill Street", "Spring Street", "Highland Avenue", "Prairie Lane", "Harvest Circle",
)
CITIES = (("Springdale", "55"), ("Millbrook", "55"), ("Cedar Falls", "56"), ("Lakeside", "55"),
          ("North Haven", "56"))
MAIL_DOMAINS = ("example.com", "example.org", "example.net")

WORSHIP = (("Cedar Music & Worship Supply", "Choir anthems"), ("Bread of Life Bakery", "Communion bread"),
           ("Hilltop Florist", "Altar flowers"), ("Cedar Music & Worship Supply", "Candles and communion cups"),
           ("Keystone Piano Service", "Piano tuning"))
EDUCATION = (("Lighthouse Curriculum", "Sunday school curriculum"), ("Main Street Office Supply",
             "Craft supplies for children's ministry"), ("Lighthouse Curriculum", "Adult study guides"),
             ("Springdale Books", "Vacation Bible School materials"))
YOUTH = (("Camp Wildwood", "Youth retreat deposit"), ("Pizza Barn", "Youth group night"),
         ("Springdale Bowling Lanes", "Youth outing"), ("Riverbend Outfitters", "Youth canoe trip"))
OFFICE = (("Main Street Office Supply", "Paper and toner"), ("Quick Print Center", "Printed bulletins"),
          ("ChurchDesk Software", "Church management software"), ("US Postal Service", "Postage"),
          ("Main Street Office Supply", "Office supplies"))
MAINTENANCE = (("Hilltop Hardware", "Repair supplies"), ("Green Valley Lawn Care", "Lawn care"),
               ("A-1 Plumbing", "Plumbing repair"), ("Cool Air HVAC", "HVAC service"),
               ("Brightway Janitorial", "Cleaning service"), ("Springdale Snow Removal", "Snow removal"))
BENEVOLENCE = (("Oak Street Apartments", "Rent assistance for a family in need"),
               ("City Power & Light", "Utility assistance for a member household"),
               ("Valley Pharmacy", "Prescription assistance"),
               ("Regional Transit", "Bus passes for a job seeker"),
               ("Hometown Grocers", "Grocery cards for a family"),
               ("Northern Gas Co.", "Heating assistance for a neighbour"))

# Seasonal bill factors by month of use, in percent.
ELECTRIC = (110, 105, 90, 80, 90, 120, 140, 140, 110, 85, 95, 110)
GAS = (220, 200, 150, 80, 40, 25, 20, 20, 35, 90, 160, 210)
WATER = (90, 90, 95, 100, 110, 130, 135, 130, 110, 100, 90, 90)

#: Personal pledge amounts in whole dollars (weekly envelope, weekly online, monthly online).
WEEKLY_AMOUNTS = (10, 10, 15, 20, 20, 25, 25, 30, 30, 40, 40, 50, 50, 60, 75, 100, 125)
MONTHLY_AMOUNTS = (25, 50, 50, 75, 75, 100, 100, 100, 125, 150, 150, 200, 200, 250, 300, 400, 500)

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


def _money(cents: int) -> Decimal:
    """Whole cents as an exact two-decimal amount."""
    return Decimal(cents).scaleb(-2)


def _scaled(cents: int, factor: Decimal) -> int:
    return int((Decimal(cents) * factor).to_integral_value(ROUND_HALF_EVEN))


def _round_to(amount: Decimal, step: int, rounding=ROUND_UP) -> Decimal:
    return ((amount / step).to_integral_value(rounding) * step).quantize(_CENT)


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    shift = h + weekday - 7 * ((a + 11 * h + 22 * weekday) // 451) + 114
    return dt.date(year, shift // 31, shift % 31 + 1)


def _month_starts(start: dt.date, today: dt.date) -> list[dt.date]:
    months = []
    month = start.replace(day=1)
    while month <= today:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _day_in(month: dt.date, day: int) -> dt.date:
    if day == 0:
        return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return month.replace(day=day)


def _sundays(start: dt.date, today: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    found = []
    while day <= today:
        found.append(day)
        day += dt.timedelta(days=7)
    return found


class _Plan:
    """How many households give in which way, for a congregation of ``households``."""

    def __init__(self, households: int):
        def share(fraction: Decimal) -> int:
            return int((fraction * households).to_integral_value(ROUND_HALF_EVEN))

        self.households = households
        wanted_envelope = share(SHARE_ENVELOPE)
        self.envelope = min(wanted_envelope, ENVELOPE_CAP)
        self.monthly = share(SHARE_MONTHLY) + wanted_envelope - self.envelope
        self.weekly = share(SHARE_WEEKLY)
        self.mail = max(1, share(SHARE_MAIL))
        self.annual = max(2, share(SHARE_ANNUAL))
        self.irregular = max(0, households - self.envelope - self.monthly - self.weekly - self.mail)
        #: More staff and vendors in a bigger church: more, smaller discretionary payments.
        self.spread = max(1, isqrt(households // BASE_HOUSEHOLDS))
        self.scale = (Decimal(households) / BASE_HOUSEHOLDS).quantize(_CENT)
        if households == BASE_HOUSEHOLDS:
            self.scale = Decimal(1)


def _campaign_year(start: dt.date, today: dt.date) -> int:
    return start.year + (today.year - start.year) // 2


def _building_project_dates(start: dt.date, today: dt.date) -> list[dt.date]:
    year = _campaign_year(start, today)
    if year + 1 <= today.year:
        days = [dt.date(year + 1, 4, 18), dt.date(year + 1, 5, 23), dt.date(year + 1, 6, 27)]
    else:
        days = [dt.date(year, 10, 14), dt.date(year, 11, 18), dt.date(year, 12, 16)]
    return [day for day in days if day <= today]


def expected_transactions(households: int, start: dt.date, today: dt.date) -> Decimal:
    """The expected number of transactions ``generate_demo`` writes for this congregation."""
    plan = _Plan(households)
    sundays = len(_sundays(start, today))
    months = _month_starts(start, today)
    total = Decimal(1 + sundays * (1 + plan.weekly))
    total += sum(1 for year in range(start.year, today.year + 1)
                 if dt.date(year, 12, 24) <= today and dt.date(year, 12, 24).weekday() != 6)
    for month in months:
        current = month.year == today.year and month.month == today.month
        days = [day for day in ONLINE_DAYS if not current or day <= today.day]
        total += Decimal(plan.monthly * len(days)) / len(ONLINE_DAYS)
        total += plan.mail * P_MAIL
        total += sum(1 for day, kind in MONTHLY if kind != "sweep" and _day_in(month, day) <= today)
        mean = sum(Decimal(low + high) / 2 for _, low, high in RANDOM_MONTHLY) * plan.spread
        total += mean * (min(today.day, 28) if current else 28) / 28
    for year in range(start.year, today.year + 1):
        for month, day, kind in QUARTERLY + YEARLY:
            if dt.date(year, month, day) <= today and kind != "year-end":
                total += 1
        first, last = ANNUAL_DAYS
        if dt.date(year, 12, first) <= today:
            inside = min((today - dt.date(year, 12, first)).days + 1, last - first + 1)
            total += Decimal(plan.annual * inside) / (last - first + 1)
    total += len(_building_project_dates(start, today))
    # Sweeps to savings, draws from it, year-end and benevolence transfers: a few a year.
    total += Decimal(len(months)) / 2
    return total


def households_for(transactions: int, start: dt.date, today: dt.date, expected=expected_transactions) -> int:
    """The congregation size whose ledger holds about ``transactions`` transactions (``expected`` counts them)."""
    low, high = MIN_HOUSEHOLDS, MIN_HOUSEHOLDS
    while expected(high, start, today) < transactions and high < 10_000_000:
        low, high = high, high * 2
    while low < high:
        middle = (low + high) // 2
        if expected(middle, start, today) < transactions:
            low = middle + 1
        else:
            high = middle
    if low > MIN_HOUSEHOLDS:
        above = expected(low, start, today) - transactions
        below = transactions - expected(low - 1, start, today)
        if below < above:
            low -= 1
    return low


class _Giver:
    __slots__ = ("attend", "cents", "check", "day", "designate", "donor", "method", "pledge", "skipped")

    def __init__(self, donor: str):
        self.donor = donor
        self.attend = 0.0
        self.cents = 0
        self.check = 0
        self.day = 1
        self.method = "check"
        self.pledge = 0
        self.designate = ""
        self.skipped = False


#: The words of the entries and receipts the shared generator writes (a sibling generator gives its own).
WORDS: dict[str, Any] = {
    "offering": "Offering", "counted": "{narration}, counted by {first} and {second}",
    "bank": "First Community Bank", "council": "Church council", "interest": "Savings interest",
    "draw": "Transfer from savings to cover bills", "sweep": "Transfer of surplus to savings",
    "from": "{name}: {document} from {payee}", "date": "Date", "for": "For", "amount": "Amount",
    "by check": "Paid by check {number}", "by transfer": "Paid by bank transfer", "approved": "Approved by {name}",
    "fund": " ({fund} fund)",
    "deacons": "Deacons", "aid top-up": "Board transfer to the benevolence fund",
    "builder": "Summit Roofing & Restoration", "project": "Roof replacement: {stage}",
    "stages": ("deposit", "progress payment", "final payment"),
    "year-end": "Board transfer of half the year's surplus to the building reserve",
    "aid": ("{name}: benevolence assistance\nDate: {day}\nPaid to: {payee}\nPurpose: {narration}\n"
            "Amount: {amount}\nCheck: {number}\n"
            "Approved by the deacons. The family's name is kept in the deacons' confidential file.\n"),
}


class _Generator:
    """The shared machinery: scheduling in date order, entry text, payments with receipts and approvals.

    The class attributes name the accounts, funds, currency, thresholds and
    words; a generator for another country's chart (``finsek.demo_sv``) sets
    its own and keeps the rest.
    """

    currency = CURRENCY
    checking_account = CHECKING
    savings_account = SAVINGS
    transfers_account = TRANSFERS
    interest_account = "Income:Interest"
    general = "general"
    funds: tuple[str, ...] = FUNDS
    restricted: frozenset[str] = RESTRICTED
    approval_threshold = APPROVAL_THRESHOLD
    receipt_threshold = RECEIPT_THRESHOLD
    receipt_labels = RECEIPT_LABELS
    #: How a payment without a check leaves the bank.
    payment_method = "transfer"
    words: dict[str, Any] = WORDS
    #: The restricted funds for aid (with its expense account) and for the building project.
    aid_fund, aid_account, aid_kind = "benevolence", "Expenses:Benevolence", "benevolence"
    building_fund, building_account = "building", "Expenses:Facilities:Maintenance"
    #: What the shared cash cushions and sweeps (set in dollars) are multiplied by in this currency.
    currency_factor = 1
    first_names: tuple[str, ...] = FIRST_NAMES
    last_names: tuple[str, ...] = LAST_NAMES

    def __init__(self, folder: Path, rng: random.Random, start: dt.date, today: dt.date, plan: _Plan,
                 name: str):
        self.folder = folder
        self.rng = rng
        self.start = start
        self.today = today
        self.plan = plan
        self.scale = plan.scale
        self.name = name
        self.days = (today - start).days + 1
        self.incoming: list[list | None] = [None] * self.days
        self.outgoing: list[list | None] = [None] * self.days
        self.out: dict[int, list[str]] = {year: [] for year in range(start.year, today.year + 1)}
        self.checking = _ZERO
        self.savings = _ZERO
        self.fund = dict.fromkeys(self.funds, _ZERO)
        self.next_check = 1001 + rng.randrange(0, 3000)
        self.benevolence_count: dict[int, int] = {}
        #: Receipt files to write, by path relative to the ledger folder.
        self.documents: dict[str, str] = {}
        self.slugs: dict[str, str] = {}
        self.campaign = _campaign_year(start, today)
        self.project_total = _ZERO
        self.project_paid = _ZERO
        self.money_scale = self.scale * self.currency_factor

    # -- scheduling -------------------------------------------------------

    def _at(self, day: dt.date) -> int | None:
        offset = (day - self.start).days
        return offset if 0 <= offset < self.days else None

    def income(self, day: dt.date, text: str, deposit: Decimal, funds: list[tuple[str, Decimal]],
               account: str = "") -> None:
        account = account or self.checking_account
        offset = self._at(day)
        if offset is None:
            return
        bucket = self.incoming[offset]
        if bucket is None:
            bucket = self.incoming[offset] = []
        bucket.append((text, deposit, funds, account))

    def later(self, day: dt.date, handler, *args) -> None:
        offset = self._at(day)
        if offset is None:
            return
        bucket = self.outgoing[offset]
        if bucket is None:
            bucket = self.outgoing[offset] = []
        bucket.append((handler, args))

    # -- text -------------------------------------------------------------

    def write(self, day: dt.date, text: str) -> None:
        self.out[day.year].append(text)

    @staticmethod
    def head(day: dt.date, payee: str, narration: str | None = None, link: str = "") -> str:
        text = f"{day} * {quote(payee)}"
        if narration is not None:
            text += f" {quote(narration)}"
        if link:
            text += f" ^{link}"
        return text + "\n"

    def num(self, amount: Decimal) -> str:
        return ledger_number(amount, self.currency)

    def shown(self, amount: Decimal) -> str:
        """An amount as a receipt prints it."""
        return f"{self.num(amount)} {self.currency}"

    def line(self, account: str, amount: Decimal, **meta: str) -> str:
        text = f"  {account:<33} {self.num(amount):>11} {self.currency}\n"
        for key, value in meta.items():
            text += f"    {key}: {quote(value)}\n"
        return text

    # -- donors -----------------------------------------------------------

    def make_donors(self) -> None:
        rng = self.rng
        plan = self.plan
        rows = []
        households = []
        number = 0
        for index in range(plan.households):
            last = rng.choice(LAST_NAMES)
            city, prefix = rng.choice(CITIES)
            street = f"{rng.randint(12, 4980)} {rng.choice(STREETS)}"
            address2 = f"Apt {rng.randint(1, 24)}{rng.choice('ABCD')}" if rng.random() < 0.12 else ""
            postal = f"{prefix}{rng.randint(100, 999)}"
            household = f"H{index + 1:04d}"
            envelope = str(101 + index)
            members = []
            for position in range(2 if rng.random() < SHARE_COUPLES else 1):
                number += 1
                first = rng.choice(FIRST_NAMES)
                while position and rows[-1]["name"].startswith(first + " "):
                    first = rng.choice(FIRST_NAMES)
                donor_id = f"D{number:04d}"
                email = ""
                if rng.random() < 0.8:
                    domain = rng.choice(MAIL_DOMAINS)
                    local = f"{first}.{last}".lower().replace("'", "")
                    email = f"{local}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{domain}"
                rows.append({
                    "id": donor_id, "name": f"{first} {last}", "household": household,
                    "address1": street, "address2": address2, "postal_code": postal, "city": city,
                    "country": "US", "email": email, "envelope": envelope if position == 0 else "",
                    "notes": "", "alias_of": "",
                })
                members.append(donor_id)
            households.append(members)
        self.rows = rows
        self.pick_volunteers(rows)
        self.plan_givers(households)

    def pick_volunteers(self, rows: list[dict[str, str]]) -> None:
        """Six offering counters and the board members who approve payments (never a counter)."""
        rng = self.rng
        # Counting volunteers: six members, shown as "A. Svensson".
        self.counters = []
        for row in rng.sample(rows, len(rows)):
            counter = f"{row['name'][0]}. {row['name'].split(' ', 1)[1]}"
            if counter not in self.counters:
                self.counters.append(counter)
            if len(self.counters) == 6:
                break
        # The board members who approve payments: members who do not count offerings.
        self.board = []
        for row in rng.sample(rows, len(rows)):
            member = f"{row['name'][0]}. {row['name'].split(' ', 1)[1]}"
            if member not in self.counters and member not in self.board:
                self.board.append(member)
            if len(self.board) == BOARD_SIZE:
                break
        while len(self.board) < BOARD_SIZE:  # a very small congregation: the board is not all givers
            member = f"{rng.choice(self.first_names)[0]}. {rng.choice(self.last_names)}"
            if member not in self.counters and member not in self.board:
                self.board.append(member)

    def plan_givers(self, households: list[list[str]]) -> None:
        rng = self.rng
        plan = self.plan
        rows = self.rows
        number = len(rows)
        kinds = (["envelope"] * plan.envelope + ["monthly"] * plan.monthly + ["weekly"] * plan.weekly
                 + ["mail"] * plan.mail + ["irregular"] * plan.irregular)
        kinds = kinds[: plan.households]
        rng.shuffle(kinds)
        self.envelope, self.monthly, self.weekly, self.mail, self.irregular = [], [], [], [], []
        groups = {"envelope": self.envelope, "monthly": self.monthly, "weekly": self.weekly,
                  "mail": self.mail, "irregular": self.irregular}
        for members, kind in zip(households, kinds, strict=True):
            giver = _Giver(members[0] if len(members) == 1 or rng.random() < 0.7 else members[1])
            giver.check = rng.randint(120, 8800)
            if kind == "envelope":
                giver.attend = rng.choice((0.55, 0.7, 0.8, 0.85, 0.9, 0.95))
                giver.method = "check" if rng.random() < 0.65 else "cash"
                giver.cents = rng.choice(WEEKLY_AMOUNTS) * 100
                if giver.method == "check" and rng.random() < 0.2:
                    giver.cents = rng.randint(1500, 9000)
            elif kind == "monthly":
                giver.day = rng.choice(ONLINE_DAYS)
                giver.cents = rng.choice(MONTHLY_AMOUNTS) * 100
            elif kind == "weekly":
                giver.cents = rng.choice(WEEKLY_AMOUNTS) * 100
            elif kind == "mail":
                giver.cents = rng.choice(MONTHLY_AMOUNTS) * 100
                giver.designate = rng.choice(("", "", "", "missions", "benevolence", "building"))
            else:
                giver.attend = rng.choice((0.05, 0.08, 0.12))
                giver.method = "cash" if rng.random() < 0.6 else "check"
                giver.cents = rng.choice((10, 20, 20, 25, 40, 50)) * 100
            if kind in ("envelope", "monthly", "weekly") and rng.random() < 0.45:
                giver.pledge = rng.choice((25, 50, 50, 100, 100, 150, 200, 250, 500)) * 100
            groups[kind].append(giver)
        regulars = self.envelope + self.monthly
        self.annual = rng.sample(regulars, min(plan.annual, len(regulars))) if regulars else []
        for giver in self.annual:
            giver.designate = rng.choice(("", "", "building", "missions"))

        # One household was entered twice and merged: early mailed gifts name the old id.
        self.alias = None
        if self.mail:
            survivor = self.mail[0].donor
            row = next(row for row in rows if row["id"] == survivor)
            number += 1
            alias = dict(row)
            alias.update(id=f"D{number:04d}", envelope="", alias_of=survivor,
                         notes=f"Duplicate entry, merged into {survivor}")
            alias["name"] = row["name"].split(" ", 1)[0][:1] + ". " + row["name"].split(" ", 1)[1]
            rows.append(alias)
            self.alias = (survivor, alias["id"], self.start.replace(month=4, day=1))

    def write_donors(self) -> None:
        path = self.folder / DONORS_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.rows)
        os.chmod(path, 0o600)

    # -- gifts ------------------------------------------------------------

    def gift_check(self, giver: _Giver) -> str:
        giver.check += 1
        return str(giver.check)

    def gift(self, account: str, cents: int, giver: _Giver | None, method: str, fund: str = "") -> str:
        meta = {}
        if fund:
            meta["fund"] = fund
        if giver is not None:
            meta["donor"] = giver.donor
        meta["method"] = method
        if method == "check" and giver is not None:
            meta["check"] = self.gift_check(giver)
        return self.line(account, _money(-cents), **meta)

    def offering(self, day: dt.date, postings: list[tuple[int, str, str]], narration: str) -> None:
        rng = self.rng
        first, second = rng.sample(self.counters, 2)
        total = sum(cents for cents, _, _ in postings)
        funds: dict[str, int] = {}
        for cents, _, fund in postings:
            funds[fund] = funds.get(fund, 0) + cents
        words = self.words
        text = (self.head(day, words["offering"], words["counted"].format(narration=narration, first=first,
                                                                            second=second), f"offering-{day}")
                + f"  counted-by: {quote(f'{first}, {second}')}\n"
                + self.line(self.checking_account, _money(total))
                + "".join(line for _, line, _ in postings))
        self.income(day, text, _money(total), [(fund, _money(cents)) for fund, cents in funds.items()])

    def envelope_gift(self, postings: list, giver: _Giver, cents: int, account: str = OFFERINGS,
                      fund: str = "") -> None:
        if giver.method == "cash":
            cents = max(100, cents // 100 * 100)
        postings.append((cents, self.gift(account, cents, giver, giver.method, fund), fund or "general"))

    def sundays(self) -> None:
        rng = self.rng
        easters = {easter(year) for year in range(self.start.year, self.today.year + 1)}
        christmas_eves = [dt.date(year, 12, 24) for year in range(self.start.year, self.today.year + 1)]
        scale = self.scale
        for sunday in _sundays(self.start, self.today):
            christmas = sunday.month == 12 and 18 <= sunday.day <= 25
            big = sunday in easters or christmas
            attendance = 1.25 if big else (0.8 if sunday.month in (7, 8) else 1.0)
            communion = sunday.day <= 7
            campaign = sunday.year == self.campaign
            postings: list[tuple[int, str, str]] = []
            for giver in self.envelope:
                if rng.random() >= giver.attend * attendance:
                    giver.skipped = True
                    continue
                cents = giver.cents
                if giver.skipped and rng.random() < 0.3:
                    cents *= 2
                if big:
                    cents = cents * rng.choice((100, 150, 200)) // 100
                giver.skipped = False
                self.envelope_gift(postings, giver, cents)
                if campaign and communion and giver.pledge:
                    self.envelope_gift(postings, giver, giver.pledge, DESIGNATED, "building")
                roll = rng.random()
                if communion and roll < 0.12:
                    self.envelope_gift(postings, giver, rng.randint(5, 40) * 100, DESIGNATED, "benevolence")
                elif roll > 0.97:
                    fund = "missions" if roll > 0.985 else "building"
                    self.envelope_gift(postings, giver, rng.randint(2, 20) * 500, DESIGNATED, fund)
            for giver in self.irregular:
                if rng.random() < giver.attend * (4 if big else 1):
                    self.envelope_gift(postings, giver, giver.cents)
            loose = _scaled(rng.randint(40, 260) * 100 + rng.randint(0, 99) * 25, scale)
            if big:
                loose *= 3
            postings.append((loose, self.line(OFFERINGS, _money(-loose), method="cash"), "general"))
            narration = "Easter Sunday offering" if sunday in easters else "Sunday offering"
            if sunday in christmas_eves:
                narration = "Christmas Eve Sunday offering"
                self.christmas_eve(sunday, postings)
            self.offering(sunday, postings, narration)
        for eve in christmas_eves:
            if eve <= self.today and eve.weekday() != 6:
                postings = []
                self.christmas_eve(eve, postings)
                self.offering(eve, postings, "Christmas Eve offering")

    def christmas_eve(self, day: dt.date, postings: list) -> None:
        rng = self.rng
        for giver in self.envelope + self.irregular:
            if rng.random() < 0.35:
                self.envelope_gift(postings, giver, rng.choice((10, 20, 25, 50, 100)) * 100, SPECIAL)
        loose = _scaled(rng.randint(300, 900) * 100, self.scale)
        postings.append((loose, self.line(SPECIAL, _money(-loose), method="cash"), "general"))

    def online(self) -> None:
        rng = self.rng
        for month in _month_starts(self.start, self.today):
            campaign = month.year == self.campaign
            for giver in self.monthly:
                day = month.replace(day=giver.day)
                if day > self.today:
                    continue
                cents = giver.cents
                text = (self.head(day, "Online giving", "Recurring monthly gift")
                        + self.line(CHECKING, _money(cents + (giver.pledge if campaign else 0)))
                        + self.line(OFFERINGS, _money(-cents), donor=giver.donor, method="online"))
                funds = [("general", _money(cents))]
                if campaign and giver.pledge:
                    text += self.line(DESIGNATED, _money(-giver.pledge), fund="building",
                                      donor=giver.donor, method="online")
                    funds.append(("building", _money(giver.pledge)))
                self.income(day, text, _money(cents + (giver.pledge if campaign else 0)), funds)
            for giver in self.mail:
                if rng.random() >= P_MAIL:
                    continue
                last = 28 if (month.year, month.month) != (self.today.year, self.today.month) else min(
                    28, self.today.day)
                day = month.replace(day=rng.randint(1, last))
                cents = giver.cents * rng.choice((1, 1, 1, 2, 3))
                donor = giver.donor
                if self.alias and donor == self.alias[0] and day < self.alias[2]:
                    donor = self.alias[1]
                fund = giver.designate if rng.random() < 0.3 else ""
                account = DESIGNATED if fund else OFFERINGS
                meta = {"fund": fund} if fund else {}
                text = (self.head(day, "Mailed gift", "Check received by mail")
                        + self.line(CHECKING, _money(cents))
                        + self.line(account, _money(-cents), **meta, donor=donor, method="check",
                                    check=self.gift_check(giver)))
                self.income(day, text, _money(cents), [(fund or "general", _money(cents))])
        for sunday in _sundays(self.start, self.today):
            for giver in self.weekly:
                cents = giver.cents
                text = (self.head(sunday, "Online giving", "Recurring weekly gift")
                        + self.line(CHECKING, _money(cents))
                        + self.line(OFFERINGS, _money(-cents), donor=giver.donor, method="online"))
                self.income(sunday, text, _money(cents), [("general", _money(cents))])
        for year in range(self.start.year, self.today.year + 1):
            first, last = ANNUAL_DAYS
            for giver in self.annual:
                day = dt.date(year, 12, rng.randint(first, last))
                cents = rng.choice((500, 1000, 1000, 1500, 2000, 2500, 5000, 10000)) * 100
                fund = giver.designate if giver.designate and rng.random() < 0.7 else ""
                if year == self.campaign and not fund and rng.random() < 0.5:
                    fund = "building"
                account = DESIGNATED if fund else OFFERINGS
                meta = {"fund": fund} if fund else {}
                text = (self.head(day, "Mailed gift", "Year-end gift")
                        + self.line(CHECKING, _money(cents))
                        + self.line(account, _money(-cents), **meta, donor=giver.donor, method="check",
                                    check=self.gift_check(giver)))
                self.income(day, text, _money(cents), [(fund or "general", _money(cents))])

    # -- money going out --------------------------------------------------

    def draw(self, day: dt.date, needed: Decimal) -> None:
        """Keep checking above a cushion after paying ``needed``: refill it from savings."""
        if self.checking - needed >= _money(_scaled(500000, self.money_scale)) or self.savings <= 0:
            return
        short = needed + _money(_scaled(2500000, self.money_scale)) - self.checking
        amount = min(_round_to(short, 1000), self.savings)
        self.bank_transfer(day, self.savings_account, self.checking_account, amount, self.words["draw"])

    def bank_transfer(self, day: dt.date, source: str, target: str, amount: Decimal, narration: str) -> None:
        self.write(day, self.head(day, self.words["bank"], narration)
                   + '  method: "transfer"\n'
                   + self.line(target, amount) + self.line(source, -amount))
        delta = amount if target == self.checking_account else -amount
        self.checking += delta
        self.savings -= delta

    def pay(self, day: dt.date, payee: str, narration: str, postings: list[tuple[str, Decimal, str]],
            check: bool = True, extra: dict[str, str] | None = None, receipt_kind: str = "",
            document: str = "Invoice", method: str = "") -> str | None:
        """A payment from checking: ``postings`` are (account, amount, fund or "").

        A payment above ``approval_threshold`` or charged to a restricted fund is approved by a board
        member unless ``extra`` names who approved it; one of ``receipt_threshold`` or more keeps its
        ``document`` (an invoice, a payroll register) as a receipt file; ``receipt_kind`` ``aid_kind``
        (aid from ``aid_fund``) always keeps the deacons' record instead.
        """
        total = sum(amount for _, amount, _ in postings)
        self.draw(day, total)
        if total > self.checking:
            # No money left anywhere: pay what there is, scaled down posting by posting.
            available = max(self.checking, _ZERO)
            if available <= _ZERO:
                return None
            factor = available / total
            scaled = [(account, (amount * factor).quantize(_CENT, ROUND_DOWN), fund)
                      for account, amount, fund in postings]
            postings = [posting for posting in scaled if posting[1] > 0]
            if not postings:
                return None
            total = sum(amount for _, amount, _ in postings)
        text = self.head(day, payee, narration)
        number = ""
        if check:
            number = str(self.next_check)
            self.next_check += 1
            text += f'  check: "{number}"\n'
        else:
            text += f"  method: {quote(method or self.payment_method)}\n"
        meta = dict(extra or {})
        if "approved-by" not in meta and (total > self.approval_threshold
                                          or any(fund in self.restricted for _, _, fund in postings)):
            meta["approved-by"] = self.rng.choice(self.board)
        for key, value in meta.items():
            text += f"  {key}: {quote(value)}\n"
        if receipt_kind == self.aid_kind:
            text += f"  receipt: {quote(self.receipt(day, payee, narration, total, number, receipt_kind))}\n"
        elif total >= self.receipt_threshold:
            receipt = self.bill_receipt(day, payee, narration, postings, total, number, document,
                                        meta.get("approved-by", ""))
            text += f"  receipt: {quote(receipt)}\n"
        for account, amount, fund in postings:
            text += self.line(account, amount, **({"fund": fund} if fund else {}))
            self.fund[fund or self.general] -= amount
        text += self.line(self.checking_account, -total)
        self.checking -= total
        self.write(day, text)
        return number

    def receipt(self, day: dt.date, payee: str, narration: str, total: Decimal, number: str, kind: str) -> str:
        count = self.benevolence_count.get(day.year, 0) + 1
        self.benevolence_count[day.year] = count
        relative = f"documents/{day.year}/{day}-{kind}-{count}.txt"
        self.documents[relative] = self.words["aid"].format(
            name=self.name, day=day, payee=payee, narration=narration, amount=self.shown(total),
            number=number)
        return relative

    def bill_receipt(self, day: dt.date, payee: str, narration: str, postings: list[tuple[str, Decimal, str]],
                     total: Decimal, number: str, document: str, approver: str) -> str:
        """The receipt of a paid bill: ``documents/YEAR/DATE-PAYEE.txt`` (``-2``, ... for a second one that day)."""
        slug = self.slugs.get(payee)
        if slug is None:
            plain = unicodedata.normalize("NFKD", payee.casefold()).encode("ascii", "ignore").decode()
            slug = self.slugs[payee] = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "payee"
        stem = f"documents/{day.year}/{day}-{slug}"
        relative = f"{stem}.txt"
        count = 1
        while relative in self.documents:
            count += 1
            relative = f"{stem}-{count}.txt"
        words = self.words
        lines = [words["from"].format(name=self.name, document=document.lower(), payee=payee),
                 f"{words['date']}: {day}", f"{words['for']}: {narration}"]
        if len(postings) > 1:
            for account, amount, fund in postings:
                label = self.receipt_labels.get(account, account.rsplit(":", 1)[-1]) + (
                    words["fund"].format(fund=fund) if fund else "")
                lines.append(f"  {label}: {self.shown(amount)}")
        lines.append(f"{words['amount']}: {self.shown(total)}")
        lines.append(words["by check"].format(number=number) if number else words["by transfer"])
        if approver:
            lines.append(words["approved"].format(name=approver))
        self.documents[relative] = "\n".join(lines) + "\n"
        return relative

    def write_documents(self) -> None:
        """Write the receipt files, one folder per year (all private to the owner, like donors.csv)."""
        folders = set()
        for relative, body in self.documents.items():
            path = self.folder / relative
            if path.parent not in folders:
                path.parent.mkdir(mode=0o700, exist_ok=True)
                folders.add(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(body)

    def board_transfer(self, day: dt.date, source: str, target: str, amount: Decimal, narration: str) -> None:
        if amount <= 0:
            return
        self.write(day, self.head(day, narration)
                   + f"  approved-by: {quote(self.words['council'])}\n"
                   + self.line(self.transfers_account, amount, fund=source)
                   + self.line(self.transfers_account, -amount, fund=target))
        self.fund[source] -= amount
        self.fund[target] += amount

    def varied(self, cents: int, spread: int = 8) -> Decimal:
        """``cents`` scaled to the congregation, give or take ``spread`` percent."""
        cents = _scaled(cents, self.scale)
        return _money(cents * self.rng.randint(100 - spread, 100 + spread) // 100)

    def schedule_expenses(self) -> None:
        rng = self.rng
        plan = self.plan
        raise_by = {year: Decimal("1.03") ** (year - self.start.year) for year in range(self.start.year,
                                                                                         self.today.year + 1)}
        for month in _month_starts(self.start, self.today):
            previous = MONTH_NAMES[(month.month - 2) % 12]
            use = (month.month - 2) % 12
            year_factor = raise_by[month.year]
            for day_number, kind in MONTHLY:
                day = _day_in(month, day_number)
                if day > self.today:
                    continue
                if kind == "electric":
                    amount = self.varied(21000 * ELECTRIC[use] // 100, 10)
                    self.later(day, self.expense, "City Power & Light", f"{previous} electricity",
                               "Expenses:Facilities:Utilities", amount)
                elif kind == "gas":
                    amount = self.varied(11000 * GAS[use] // 100, 12)
                    self.later(day, self.expense, "Northern Gas Co.", f"{previous} heating gas",
                               "Expenses:Facilities:Utilities", amount)
                elif kind == "water":
                    amount = self.varied(5500 * WATER[use] // 100, 10)
                    self.later(day, self.expense, "Springdale Water & Sewer", f"{previous} water and sewer",
                               "Expenses:Facilities:Utilities", amount)
                elif kind == "telecom":
                    amount = _money(_scaled(_scaled(8999, year_factor), self.scale))
                    self.later(day, self.expense, "Lakeside Telecom", "Phone and internet",
                               "Expenses:Facilities:Utilities", amount)
                elif kind == "rental":
                    cents = _scaled(_scaled(85000, year_factor), self.scale)
                    text = (self.head(day, "Little Acorns Preschool", f"{MONTH_NAMES[month.month - 1]} rent "
                                      "for classroom space")
                            + self.line(CHECKING, _money(cents))
                            + self.line("Income:Rental", _money(-cents), method="check"))
                    self.income(day, text, _money(cents), [("general", _money(cents))])
                elif kind == "benefits":
                    amount = _money(_scaled(_scaled(120000, year_factor), self.scale))
                    self.later(day, self.expense, "Covenant Benefits Trust",
                               f"{MONTH_NAMES[month.month - 1]} health and pension premiums",
                               "Expenses:Personnel:Benefits", amount)
                elif kind == "payroll":
                    salaries = _money(_scaled(_scaled(1000000, year_factor), self.scale))
                    taxes = (salaries * Decimal("0.0765")).quantize(_CENT)
                    self.later(day, self.payroll, MONTH_NAMES[month.month - 1], salaries, taxes)
                elif kind == "missions":
                    amount = _money(_scaled(200000, self.scale))
                    self.later(day, self.missions, amount, month.month % 3 == 0)
                elif kind == "fees":
                    amount = _money(rng.randint(2200, 3400))
                    self.later(day, self.expense, "First Community Bank", "Monthly service charge",
                               "Expenses:Administration:BankFees", amount, False)
                elif kind == "interest":
                    self.later(day, self.interest)
                elif kind == "sweep":
                    self.later(day, self.sweep)
            current = (month.year, month.month) == (self.today.year, self.today.month)
            last = min(28, self.today.day) if current else 28
            for kind, low, high in RANDOM_MONTHLY:
                for _ in range(rng.randint(low, high) * plan.spread):
                    day = month.replace(day=rng.randint(1, 28))
                    if day.day > last:
                        continue
                    share = self.scale / plan.spread
                    if kind == "benevolence":
                        payee, narration = rng.choice(BENEVOLENCE)
                        amount = _money(_scaled(rng.randint(6, 60) * 1000, share))
                        self.later(day, self.benevolence, payee, narration, amount)
                        continue
                    choices, account, mean = {
                        "office": (OFFICE, "Expenses:Administration:Office", 16000),
                        "maintenance": (MAINTENANCE, "Expenses:Facilities:Maintenance", 48000),
                        "worship": (WORSHIP, "Expenses:Ministry:Worship", 25000),
                        "education": (EDUCATION, "Expenses:Ministry:Education", 20000),
                        "youth": (YOUTH, "Expenses:Ministry:Youth", 30000),
                    }[kind]
                    payee, narration = rng.choice(choices)
                    amount = _money(_scaled(rng.randint(mean // 4, mean * 7 // 4), share))
                    self.later(day, self.expense, payee, narration, account, amount)
        for year in range(self.start.year, self.today.year + 1):
            factor = Decimal("1.04") ** (year - self.start.year)
            for month_number, day_number, kind in QUARTERLY + YEARLY:
                day = dt.date(year, month_number, day_number)
                if day > self.today:
                    continue
                if kind == "insurance":
                    amount = _money(_scaled(_scaled(120000, factor), self.scale))
                    self.later(day, self.expense, "Shepherd Mutual Insurance",
                               "Quarterly property and liability premium", "Expenses:Facilities:Insurance",
                               amount)
                elif kind == "local":
                    amount = self.varied(75000, 0)
                    self.later(day, self.expense, "Eastside Food Pantry", "Quarterly support",
                               "Expenses:Missions:Local", amount)
                elif kind in ("rummage", "dinner"):
                    cents = _scaled(rng.randint(900, 2400) * 100 + rng.randint(0, 3) * 25, self.scale)
                    narration = "Spring rummage sale" if kind == "rummage" else "Harvest dinner tickets"
                    text = (self.head(day, "Fundraiser", narration)
                            + self.line(CHECKING, _money(cents))
                            + self.line("Income:Fundraising", _money(-cents), method="cash"))
                    self.income(day, text, _money(cents), [("general", _money(cents))])
                elif kind == "missions-transfer":
                    self.later(day, self.board_transfer, "general", "missions",
                               _money(_scaled(200000, self.scale)), "Board transfer to the missions fund")
                elif kind == "year-end":
                    self.later(day, self.year_end)
        dates = _building_project_dates(self.start, self.today)
        stages = self.words["stages"]
        for index, day in enumerate(dates):
            self.later(day, self.building_project, stages[index], index)

    def expense(self, day: dt.date, payee: str, narration: str, account: str, amount: Decimal,
                check: bool = True) -> None:
        self.pay(day, payee, narration, [(account, amount, "")], check)

    def payroll(self, day: dt.date, month: str, salaries: Decimal, taxes: Decimal) -> None:
        self.pay(day, "Keystone Payroll Services", f"{month} payroll, direct deposit",
                 [("Expenses:Personnel:Salaries", salaries, ""), ("Expenses:Personnel:Taxes", taxes, "")],
                 check=False, document="Payroll register")

    def missions(self, day: dt.date, amount: Decimal, forward: bool) -> None:
        postings = [("Expenses:Missions:Denominational", amount, "general")]
        narration = "Monthly mission share"
        designated = self.fund["missions"].quantize(Decimal(1), ROUND_DOWN).quantize(_CENT)
        if forward and designated > 0:
            postings.append(("Expenses:Missions:Denominational", designated, "missions"))
            narration = "Monthly mission share and designated missions gifts"
        self.pay(day, "Regional Conference", narration, postings, document="Remittance statement")

    def benevolence(self, day: dt.date, payee: str, narration: str, amount: Decimal) -> None:
        fund = self.aid_fund
        if self.fund[fund] < amount:
            top_up = _round_to(amount - self.fund[fund] + _money(_scaled(50000, self.money_scale)), 500)
            self.board_transfer(day, self.general, fund, top_up, self.words["aid top-up"])
        self.pay(day, payee, narration, [(self.aid_account, amount, fund)],
                 extra={"approved-by": self.words["deacons"]}, receipt_kind=self.aid_kind)

    def building_project(self, day: dt.date, stage: str, index: int) -> None:
        if index == 0:
            self.project_total = _round_to(self.fund[self.building_fund] * Decimal("0.8"), 100, ROUND_DOWN)
        if self.project_total <= 0:
            return
        share = (Decimal("0.3"), Decimal("0.4"), Decimal("0.3"))[index]
        amount = (self.project_total * share).quantize(_CENT)
        if index == 2:
            amount = self.project_total - self.project_paid
        amount = min(amount, self.fund[self.building_fund])
        if amount <= 0:
            return
        self.project_paid += amount
        self.pay(day, self.words["builder"], self.words["project"].format(stage=stage),
                 [(self.building_account, amount, self.building_fund)], extra={"approved-by": self.words["council"]})

    def interest(self, day: dt.date) -> None:
        rate = self.rates[day.year]
        amount = (self.savings * rate / 12).quantize(_CENT)
        if amount <= 0:
            return
        self.write(day, self.head(day, self.words["bank"], self.words["interest"])
                   + self.line(self.savings_account, amount) + self.line(self.interest_account, -amount))
        self.savings += amount
        self.fund[self.general] += amount

    def sweep(self, day: dt.date) -> None:
        high = _money(_scaled(6000000, self.money_scale))
        if self.checking > high:
            amount = _round_to(self.checking - _money(_scaled(4000000, self.money_scale)), 1000, ROUND_DOWN)
            if amount > 0:
                self.bank_transfer(day, self.checking_account, self.savings_account, amount, self.words["sweep"])

    def year_end(self, day: dt.date) -> None:
        reserve = _money(_scaled(5000000, self.money_scale))
        surplus = _round_to((self.fund[self.general] - reserve) / 2, 1000, ROUND_DOWN)
        if surplus >= _money(_scaled(500000, self.money_scale)):
            self.board_transfer(day, self.general, self.building_fund, surplus, self.words["year-end"])

    # -- the run ----------------------------------------------------------

    def opening(self) -> None:
        rng = self.rng
        checking = self.varied(2500000, 20)
        savings = self.varied(8000000, 20)
        building = self.varied(3500000, 20)
        missions = self.varied(300000, 30)
        benevolence = self.varied(250000, 30)
        general = checking + savings - building - missions - benevolence
        day = self.start
        self.write(day, self.head(day, "Opening balances", "Balances carried over from the previous books")
                   + self.line(CHECKING, checking) + self.line(SAVINGS, savings)
                   + self.line(OPENING, -general, fund="general")
                   + self.line(OPENING, -building, fund="building")
                   + self.line(OPENING, -missions, fund="missions")
                   + self.line(OPENING, -benevolence, fund="benevolence"))
        self.checking, self.savings = checking, savings
        self.fund.update(general=general, building=building, missions=missions, benevolence=benevolence)
        self.rates = {year: Decimal(rng.choice((50, 75, 100, 150, 200, 250, 300, 350))) / 10000
                      for year in range(self.start.year, self.today.year + 1)}

    def run(self) -> None:
        self.make_donors()
        self.write_donors()
        self.opening()
        self.sundays()
        self.online()
        self.schedule_expenses()
        for offset in range(self.days):
            day = self.start + dt.timedelta(days=offset)
            if day.day == 1 and offset > 0:
                self.write(day, f"{day} balance {self.checking_account:<22} {self.num(self.checking):>12} "
                                f"{self.currency}\n{day} balance {self.savings_account:<22} "
                                f"{self.num(self.savings):>12} {self.currency}\n")
            for text, deposit, funds, account in self.incoming[offset] or ():
                self.write(day, text)
                if account == self.checking_account:
                    self.checking += deposit
                else:
                    self.savings += deposit
                for fund, amount in funds:
                    self.fund[fund] += amount
            for handler, args in self.outgoing[offset] or ():
                handler(day, *args)
        for year, texts in self.out.items():
            with open(self.folder / f"{year}.beancount", "a", encoding="utf-8", newline="\n") as handle:
                handle.write("\n" + "\n".join(texts))
        self.write_documents()


def generate_demo(
    path: Path,
    years: int = 3,
    transactions: int | None = None,
    seed: int = 1,
    today: dt.date | None = None,
    name: str = "Grace Community Church",
) -> Path:
    """Create a demo ledger at ``path`` and return the path of its main file.

    ``years`` calendar years end with ``today``'s (no entry after ``today``).
    ``transactions`` sizes the congregation so the ledger holds about that
    many transactions; without it the church has about 150 households.
    The same arguments always give byte-identical files.
    """
    return build(path, _Generator, years, transactions, seed, today, name)


def build(path: Path, generator: type[_Generator], years: int, transactions: int | None, seed: int,
          today: dt.date | None, name: str, locale: str = "en_US", expected=expected_transactions) -> Path:
    """``generate_demo`` with ``generator`` (the class that writes the entries) on ``locale``'s chart."""
    if years < 1:
        raise Refused("A demo ledger covers at least one year: use --years 1 or more.")
    if transactions is not None and transactions < 1:
        raise Refused("The number of transactions must be a positive number.")
    today = today or dt.date.today()
    start = dt.date(today.year - years + 1, 1, 1)
    households = BASE_HOUSEHOLDS if transactions is None else households_for(transactions, start, today, expected)
    plan = _Plan(households)
    main = create_ledger(Path(path), name, generator.currency, locale, 1, today, start, budget_scale=plan.scale)
    generator(main.parent, random.Random(seed), start, today, plan, name).run()
    return main
