"""A realistic Swedish congregation on the Swedish chart: ``finsek demo --locale sv_SE``.

``generate_demo_sv`` makes the ledger with the Swedish chart of
``finsek.ledger.chart_sv`` (BAS numbers, account roles, funds allmanna, bygg,
mission and diakoni, thresholds in kronor) and fills it through the shared
machinery of ``finsek.demo`` (entries in date order, payments with receipts
and approvals, a balance assertion for both bank accounts on the first of
every month, sweeps to savings, the building project), in Swedish and in
kronor:

- ``donors.csv``: invented members with Swedish names and addresses (åäö),
  mobile numbers for Swish, and personnummer with a valid date and check digit
  (python-stdnum accepts them; the people and their numbers are made up, and
  each row's notes say so); one household entered twice and merged;
- kollekt every Sunday: the loose cash, counted by two of six counters, with
  no donor (an anonymous collection never becomes a register of givers), for
  the allmänna medel or, on given Sundays, for diakoni, mission or Byggfonden;
  Swish payments with the message "Kollekt" during the service, anonymous too;
- gåvor from named givers: monthly gifts by Swish and by bankgiro, Swish gifts
  on Sundays, monthly gifts to diakoni (which qualify for skattereduktion:
  ``gift-purposes "diakoni"``), year-end gifts, an insamling for Byggfonden
  and the renovation of the church hall paid from it the year after;
- salaries with källskatt withheld and arbetsgivaravgifter (31,42 %) booked
  as debts, paid to Skatteverket on the 12th of the next month;
- bankgiro payments to Swedish payees (Vattenfall, the district heating, the
  samfund's församlingsavgift, Länsförsäkringar, the stadsmission, ...), rent
  from the kulturskola, interest on the savings account;
- the settings a Swedish congregation states: its organisation number, its
  address, the tax agency's approval as gåvomottagare (``gift-approval``) and
  the purposes whose gifts qualify (``gift-purposes``).

The same arguments give byte-identical files.
"""

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from stdnum import luhn

from finsek.core.money import format_amount
from finsek.core.text import quote
from finsek.demo import (
    ANNUAL_DAYS,
    ELECTRIC,
    GAS,
    ONLINE_DAYS,
    RANDOM_MONTHLY,
    _building_project_dates,
    _day_in,
    _Generator,
    _Giver,
    _money,
    _month_starts,
    _Plan,
    _scaled,
    _sundays,
    build,
    easter,
)
from finsek.ledger import chart_sv
from finsek.ledger.template import ACCOUNTS_FILE

CURRENCY = "SEK"
LOCALE = "sv_SE"
_BY_BAS = {number: account for account, number, _role in chart_sv.ACCOUNTS}
BANK, SAVINGS, OPENING, TRANSFERS = (_BY_BAS[number] for number in ("1930", "1940", "2061", "2065"))
KOLLEKT, DESIGNATED, INSAMLING = (_BY_BAS[number] for number in ("3010", "3020", "3030"))
RENT, INTEREST = _BY_BAS["3910"], _BY_BAS["8310"]
SALARIES, EMPLOYER_FEES, TAX_DUE, FEES_DUE = (_BY_BAS[number] for number in ("7210", "7510", "2710", "2731"))
ENERGY, UPKEEP, INSURANCE = _BY_BAS["5020"], _BY_BAS["5070"], _BY_BAS["6310"]
SAMFUND, LOCAL_MISSION, DIAKONI_COSTS = _BY_BAS["6981"], _BY_BAS["6994"], _BY_BAS["6995"]
BANK_FEES = _BY_BAS["6570"]

GENERAL = chart_sv.DEFAULT_FUND
BUILDING, MISSION, DIAKONI = "bygg", "mission", "diakoni"
FUND_NAMES = tuple(fund for fund, _title, _klass in chart_sv.FUNDS)
RESTRICTED = frozenset(fund for fund, _title, klass in chart_sv.FUNDS if klass == "restricted")
_SETTINGS = {key: Decimal(value.split()[0]) for key, value in chart_sv.SETTINGS}

#: Arbetsgivaravgifter on gross salaries (full rate); källskatt withheld, about a tax table's 30 %.
EMPLOYER_RATE = Decimal("0.3142")
WITHHOLDING = Decimal("0.30")
#: The staff: (role, gross monthly salary in kronor the first year).
STAFF = (("pastor", 36000), ("ungdomsledare (50 %)", 13000))

#: The congregation's organisation number (an ideell förening, 802...; made up, valid check digit).
ORGNR = "802440-1237"
ADDRESS = "Kyrkogatan 4; 715 31 Åbyholm"
APPROVAL = "Skatteverkets beslut 2021-03-15"

# Household shares of each way of giving (the rest give now and then, at Christmas and Easter).
SHARE_SWISH = Decimal("0.30")
SHARE_BANKGIRO = Decimal("0.15")
SHARE_SUNDAY = Decimal("0.20")
SHARE_COUPLES = 0.3
#: Of the monthly givers, the share who also give monthly to diakoni, and who pledge to Byggfonden.
P_DIAKONI = 0.15
P_PLEDGE = 0.4
P_PERSONNUMMER = 0.9

SWISH_AMOUNTS = (200, 300, 300, 500, 500, 500, 800, 1000, 1000, 1500, 2000, 2500)
BANKGIRO_AMOUNTS = (500, 800, 1000, 1000, 1500, 2000, 2000, 2500, 3000, 4000)
SUNDAY_AMOUNTS = (100, 100, 200, 200, 300, 500)
KOLLEKT_SWISH = (50, 100, 100, 100, 200, 200, 300, 500)

GIFT_NARRATION = {GENERAL: "Gåva", DIAKONI: "Gåva till diakonin", BUILDING: "Gåva till Byggfonden",
                  MISSION: "Gåva till missionen"}

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")

WOMEN = ("Anna", "Maria", "Karin", "Eva", "Kristina", "Birgitta", "Ingrid", "Lena", "Åsa", "Märta", "Elsa",
         "Ebba", "Sofia", "Astrid", "Linnéa", "Ulla", "Agneta", "Maja", "Wilma", "Saga", "Amina", "Sara",
         "Rebecka", "Hanna", "Miriam", "Lovisa", "Signe", "Kerstin", "Britt", "Mariam", "Selam", "Ylva")
MEN = ("Erik", "Lars", "Per", "Johan", "Anders", "Mikael", "Sven", "Björn", "Göran", "Örjan", "Nils", "Olof",
       "Gustav", "Håkan", "Jonas", "Mats", "Stig", "Oskar", "Hugo", "Ali", "Daniel", "Samuel", "Elias",
       "Jakob", "Tomas", "Pontus", "Gunnar", "Yusuf", "Dawit", "Ragnar")
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg",
    "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson",
    "Bergström", "Lundberg", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
    "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson", "Håkansson", "Eklund",
    "Gunnarsson", "Björk", "Holm", "Samuelsson", "Fransson", "Wikström", "Isaksson", "Bergman", "Åberg",
    "Öberg", "Ström", "Hedlund", "Sundberg", "Ekström", "Haile", "Yilmaz", "Mohammed",
)
STREETS = ("Storgatan", "Kyrkogatan", "Skolvägen", "Björkvägen", "Ängsvägen", "Åsvägen", "Prästgårdsvägen",
           "Smedjegatan", "Järnvägsgatan", "Lövstigen", "Södra Långgatan", "Kvarngatan", "Sjövägen",
           "Tallstigen", "Rönnvägen", "Hagagatan", "Östra Torggatan", "Västra Ringvägen", "Blåbärsstigen")
#: Invented places near the invented church, with the first three digits of their postal codes.
CITIES = (("Åbyholm", "715"), ("Åbyholm", "715"), ("Norrtuna", "715"), ("Sjöändan", "716"), ("Björkå", "716"),
          ("Östervik", "718"))
MAIL_DOMAINS = ("example.com", "example.org", "example.net")
_ASCII = str.maketrans("åäöéü", "aaoeu")

WORSHIP = (("Verbum", "Psalmböcker och noter"), ("Bageriet i Åbyholm", "Nattvardsbröd"),
           ("Blomsterhandeln Linnea", "Altarblommor"), ("Verbum", "Ljus och nattvardsbägare"),
           ("Pianostämmaren i Mälardalen", "Pianostämning"))
EDUCATION = (("Studieförbundet Bilda", "Studiematerial för bibelstudiegrupp"),
             ("Adlibris", "Böcker till söndagsskolan"), ("Studieförbundet Bilda", "Cirkelmaterial, alphakurs"))
YOUTH = (("Equmenia Region Öst", "Lägeravgift, sommarläger"), ("Pizzeria Roma", "Tonårskväll"),
         ("Bowlinghallen i Åbyholm", "Utflykt med scouterna"), ("Kanotcentralen Sjöändan", "Kanothajk"))
OFFICE = (("Lyreco", "Kontorsmaterial"), ("Åbyholms Tryckeri", "Tryckta programblad"),
          ("ChurchDesk", "Församlingsprogram, licens"), ("PostNord", "Porto"), ("Telia", "Telefoni och bredband"))
MAINTENANCE = (("Byggmax", "Material till reparationer"), ("Åbyholms Rör AB", "Rörreparation"),
               ("Fastighetsservice Norr", "Fastighetsskötsel"), ("Städbolaget Glans", "Lokalvård"),
               ("Snöröjning Åbyholm", "Snöröjning"))
AID = (("Åbyholms Bostäder", "Hyreshjälp till en familj i kris"),
       ("Vattenfall", "Hjälp med elräkningen för ett hushåll"), ("Apoteket", "Hjälp med mediciner"),
       ("Länstrafiken", "Busskort till en arbetssökande"), ("ICA Kvantum Åbyholm", "Matkort till en familj"))
#: Discretionary spending: kind -> (payees, account, mean in öre).
SPENDING = {
    "office": (OFFICE, _BY_BAS["6110"], 150000), "maintenance": (MAINTENANCE, UPKEEP, 450000),
    "worship": (WORSHIP, _BY_BAS["6991"], 250000), "education": (EDUCATION, _BY_BAS["6992"], 200000),
    "youth": (YOUTH, _BY_BAS["6993"], 300000),
}

RECEIPT_LABELS = {SALARIES: "Bruttolöner", EMPLOYER_FEES: "Arbetsgivaravgifter 31,42 %",
                  TAX_DUE: "Avdragen källskatt", FEES_DUE: "Arbetsgivaravgifter att betala",
                  SAMFUND: "Församlingsavgift"}

WORDS: dict[str, Any] = {
    "offering": "Kollekt", "counted": "{narration}, räknad av {first} och {second}",
    "bank": "Swedbank", "council": "Församlingsstyrelsen", "interest": "Ränta på sparkontot",
    "draw": "Överföring från sparkontot för att täcka räkningar", "sweep": "Överskott till sparkontot",
    "from": "{name}: {document} från {payee}", "date": "Datum", "for": "Avser", "amount": "Belopp",
    "by check": "Betald med check {number}", "by transfer": "Betald via bankgiro", "approved": "Attesterad av {name}",
    "fund": " ({fund})",
    "deacons": "Diakonigruppen", "aid top-up": "Styrelsens överföring till Diakonifonden",
    "builder": "Åbyholms Bygg & Renovering AB", "project": "Renovering av kyrksalen: {stage}",
    "stages": ("handpenning", "delbetalning", "slutbetalning"),
    "year-end": "Styrelsens överföring av halva årets överskott till Byggfonden",
    "aid": ("{name}: diakonalt stöd\nDatum: {day}\nBetalt till: {payee}\nÄndamål: {narration}\nBelopp: {amount}\n"
            "Attesterat av diakonigruppen. Mottagarens namn finns i diakonigruppens sekretesskyddade pärm.\n"),
}


def personnummer(rng, born: dt.date, woman: bool) -> str:
    """A personnummer (``YYYYMMDD-NNNC``) for a made-up person: a random födelsenummer, the right check digit."""
    serial = rng.randint(0, 99) * 10 + rng.choice((0, 2, 4, 6, 8) if woman else (1, 3, 5, 7, 9))
    serial = serial or 2
    digits = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"


def _other(cents: int, *taken: int) -> int:
    """``cents``, or 50 kronor more until it differs from each of ``taken``."""
    while cents in taken:
        cents += 5000
    return cents


def _share(fraction: Decimal, households: int) -> int:
    return int((fraction * households).to_integral_value(ROUND_HALF_EVEN))


def expected_transactions(households: int, start: dt.date, today: dt.date) -> Decimal:
    """About how many transactions ``generate_demo_sv`` writes for a congregation of ``households``."""
    months = len(_month_starts(start, today))
    sundays = len(_sundays(start, today))
    spread = _Plan(households).spread
    swish, bankgiro, sunday = (_share(share, households) for share in (SHARE_SWISH, SHARE_BANKGIRO, SHARE_SUNDAY))
    # A Swish giver's gift to diakoni (and, in the insamling's year, to Byggfonden) is a payment of its own.
    extra = Decimal(str(P_DIAKONI)) + Decimal(str(P_PLEDGE)) / 2
    # Rent, electricity, heating, the samfund, bank fees, salaries, taxes, interest; the discretionary payments.
    spending = sum(Decimal(low + high) / 2 for _, low, high in RANDOM_MONTHLY) * spread
    monthly = swish * (1 + extra) + bankgiro + 8 + spending
    # The counted kollekt, about four Swish kollekt payments, the Swish givers who come that Sunday.
    per_sunday = 1 + 4 * spread + sunday * Decimal("0.525")
    return months * monthly + sundays * per_sunday


class SwedishGenerator(_Generator):
    """The Swedish congregation: the shared machinery with Swedish accounts, funds, payees and ways of giving."""

    currency = CURRENCY
    checking_account, savings_account, transfers_account, interest_account = BANK, SAVINGS, TRANSFERS, INTEREST
    general = GENERAL
    funds = FUND_NAMES
    restricted = RESTRICTED
    approval_threshold = _SETTINGS["approval-threshold"]
    receipt_threshold = _SETTINGS["receipt-threshold"]
    receipt_labels = RECEIPT_LABELS
    payment_method = "bankgiro"
    words = WORDS
    aid_fund, aid_account, aid_kind = DIAKONI, DIAKONI_COSTS, "diakoni"
    building_fund, building_account = BUILDING, UPKEEP
    #: About ten kronor buy what a dollar buys: the shared cushions and sweeps in kronor.
    currency_factor = 10
    first_names = WOMEN + MEN
    last_names = LAST_NAMES

    def shown(self, amount: Decimal) -> str:
        return format_amount(amount, self.currency, LOCALE)

    # -- members ----------------------------------------------------------

    def make_donors(self) -> None:
        rng = self.rng
        rows: list[dict[str, str]] = []
        households: list[list[str]] = []
        for index in range(self.plan.households):
            last = rng.choice(LAST_NAMES)
            city, prefix = rng.choice(CITIES)
            street = f"{rng.choice(STREETS)} {rng.randint(1, 68)}"
            address2 = f"Lgh {rng.randint(1001, 1403)}" if rng.random() < 0.3 else ""
            postal = f"{prefix} {rng.randint(10, 99)}"
            members = []
            woman = rng.random() < 0.55
            for position in range(2 if rng.random() < SHARE_COUPLES else 1):
                woman = woman if position == 0 else not woman
                first = rng.choice(WOMEN if woman else MEN)
                born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 62))
                number = personnummer(rng, born, woman) if rng.random() < P_PERSONNUMMER else ""
                local = f"{first}.{last}".lower().translate(_ASCII)
                email = f"{local}@{rng.choice(MAIL_DOMAINS)}" if rng.random() < 0.7 else ""
                phone = f"07{rng.choice('0236')}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                donor = f"D{len(rows) + 1:04d}"
                rows.append({
                    "id": donor, "name": f"{first} {last}", "household": f"H{index + 1:04d}",
                    "address1": street, "address2": address2, "postal_code": postal, "city": city,
                    "country": "SE", "email": email, "envelope": "", "notes": "Påhittad person i demoboken",
                    "alias_of": "", "tax_id": number, "phone": phone,
                })
                members.append(donor)
            households.append(members)
        self.rows = rows
        self.pick_volunteers(rows)
        self.plan_swedish_givers(households)

    def plan_swedish_givers(self, households: list[list[str]]) -> None:
        rng = self.rng
        count = len(households)
        kinds = (["swish"] * _share(SHARE_SWISH, count) + ["bankgiro"] * _share(SHARE_BANKGIRO, count)
                 + ["sunday"] * _share(SHARE_SUNDAY, count))
        kinds += ["irregular"] * (count - len(kinds))
        rng.shuffle(kinds)
        self.swish: list[_Giver] = []
        self.bankgiro: list[_Giver] = []
        self.sunday_givers: list[_Giver] = []
        self.irregular = []
        #: Monthly gifts to diakoni (öre) by donor.
        self.to_diakoni: dict[str, int] = {}
        groups = {"swish": self.swish, "bankgiro": self.bankgiro, "sunday": self.sunday_givers,
                  "irregular": self.irregular}
        for members, kind in zip(households, kinds, strict=True):
            giver = _Giver(rng.choice(members))
            giver.method = "bankgiro" if kind == "bankgiro" else "swish"
            if kind == "swish":
                giver.day, giver.cents = rng.choice(ONLINE_DAYS), rng.choice(SWISH_AMOUNTS) * 100
            elif kind == "bankgiro":
                giver.day, giver.cents = 27, rng.choice(BANKGIRO_AMOUNTS) * 100
            elif kind == "sunday":
                giver.attend, giver.cents = rng.choice((0.3, 0.5, 0.6, 0.7)), rng.choice(SUNDAY_AMOUNTS) * 100
            else:
                giver.attend, giver.cents = rng.choice((0.3, 0.5)), rng.choice((200, 300, 500, 1000)) * 100
            if kind in ("swish", "bankgiro"):
                # Each purpose its own amount: two Swish payments alike from one giver look like a duplicate.
                if rng.random() < P_DIAKONI:
                    self.to_diakoni[giver.donor] = _other(rng.choice((200, 250, 300, 500)) * 100, giver.cents)
                if rng.random() < P_PLEDGE:
                    giver.pledge = _other(rng.choice((200, 300, 500, 500, 1000, 2000)) * 100, giver.cents,
                                          self.to_diakoni.get(giver.donor, 0))
            groups[kind].append(giver)
        regulars = self.swish + self.bankgiro
        self.annual = rng.sample(regulars, min(max(2, count // 30), len(regulars))) if regulars else []
        # One member was entered twice and merged: early bankgiro gifts name the old id.
        self.alias = None
        if self.bankgiro:
            survivor = self.bankgiro[0].donor
            row = next(row for row in self.rows if row["id"] == survivor)
            alias = dict(row, id=f"D{len(self.rows) + 1:04d}", alias_of=survivor, tax_id="",
                         notes=f"Dubblett, sammanslagen med {survivor}")
            alias["name"] = row["name"].split(" ", 1)[0][:1] + ". " + row["name"].split(" ", 1)[1]
            self.rows.append(alias)
            self.alias = (survivor, alias["id"], self.start.replace(month=4, day=1))

    # -- money coming in --------------------------------------------------

    def swish_reference(self) -> str:
        return f"swish:{self.rng.getrandbits(64):016X}"

    def gift_entry(self, day: dt.date, payee: str, narration: str, gifts: list[tuple[str, int, str]],
                   method: str, donor: str = "", reference: str = "") -> None:
        """One payment into the bank: ``gifts`` are (account, öre, fund); no donor for an anonymous one."""
        total = sum(cents for _, cents, _ in gifts)
        text = self.head(day, payee, narration)
        if reference:
            text += f"  online-id: {quote(reference)}\n"
        text += self.line(BANK, _money(total))
        funds = []
        for account, cents, fund in gifts:
            meta = {"fund": fund} if fund != GENERAL else {}
            if donor:
                meta["donor"] = donor
            text += self.line(account, _money(-cents), **meta, method=method)
            funds.append((fund, _money(cents)))
        self.income(day, text, _money(total), funds)

    def sundays(self) -> None:
        rng = self.rng
        easters = {easter(year) for year in range(self.start.year, self.today.year + 1)}
        for sunday in _sundays(self.start, self.today):
            big = sunday in easters or (sunday.month == 12 and 18 <= sunday.day <= 25)
            narration, fund = "Söndagens kollekt", GENERAL
            if sunday.day <= 7:
                narration, fund = "Diakonikollekt", DIAKONI
            elif sunday.month % 3 == 0 and sunday.day <= 14:
                narration, fund = "Missionskollekt", MISSION
            elif sunday.year == self.campaign and sunday.day >= 22:
                narration, fund = "Kollekt till Byggfonden", BUILDING
            if sunday in easters:
                narration = f"Påskdagens kollekt{'' if fund == GENERAL else ' (' + narration.lower() + ')'}"
            self.kollekt(sunday, narration, fund, 3 if big else 1)
            for giver in self.sunday_givers + self.irregular:
                chance = giver.attend * (2 if big else 1) if giver in self.sunday_givers else (
                    giver.attend if big else 0)
                if rng.random() < chance:
                    self.gift_entry(sunday, "Swish", "Gåva", [(KOLLEKT, giver.cents, GENERAL)], "swish",
                                    giver.donor, self.swish_reference())
        for year in range(self.start.year, self.today.year + 1):
            eve = dt.date(year, 12, 24)
            if eve <= self.today and eve.weekday() != 6:
                self.kollekt(eve, "Julbönens kollekt till Missionsinsamlingen", MISSION, 2)

    def kollekt(self, day: dt.date, narration: str, fund: str, size: int) -> None:
        """The Sunday kollekt: loose cash counted by two (no donor), and anonymous Swish with the message Kollekt."""
        rng = self.rng
        account = KOLLEKT if fund == GENERAL else DESIGNATED
        meta = {} if fund == GENERAL else {"fund": fund}
        cash = _scaled(rng.randint(600, 2600) * 100, self.scale) // 100 * 100 * size
        self.offering(day, [(cash, self.line(account, _money(-cash), **meta, method="cash"), fund)], narration)
        for _ in range(rng.randint(1, 7) * self.plan.spread * size):
            cents = rng.choice(KOLLEKT_SWISH) * 100
            self.gift_entry(day, "Swish", "Kollekt", [(account, cents, fund)], "swish",
                            reference=self.swish_reference())

    def online(self) -> None:
        rng = self.rng
        for month in _month_starts(self.start, self.today):
            campaign = month.year == self.campaign
            for giver in self.swish + self.bankgiro:
                day = month.replace(day=giver.day)
                if day > self.today:
                    continue
                swish = giver.method == "swish"
                donor = giver.donor
                if self.alias and donor == self.alias[0] and day < self.alias[2]:
                    donor = self.alias[1]
                gifts = [(KOLLEKT, giver.cents, GENERAL)]
                extra = []
                if giver.donor in self.to_diakoni:
                    extra.append((DESIGNATED, self.to_diakoni[giver.donor], DIAKONI))
                if campaign and giver.pledge:
                    extra.append((INSAMLING, giver.pledge, BUILDING))
                if swish:  # one Swish payment, one message: each purpose its own payment
                    for gift in [gifts[0], *extra]:
                        self.gift_entry(day, "Swish", GIFT_NARRATION[gift[2]], [gift], "swish", donor,
                                        self.swish_reference())
                else:
                    self.gift_entry(day, "Bankgiro", "Månadsgåva via bankgiro", gifts + extra, "bankgiro", donor)
        for year in range(self.start.year, self.today.year + 1):
            first, last = ANNUAL_DAYS
            for giver in self.annual:
                day = dt.date(year, 12, rng.randint(first, last))
                cents = _other(rng.choice((1000, 2000, 2500, 5000, 5000, 10000, 20000)) * 100, giver.cents)
                fund = rng.choice((GENERAL, GENERAL, DIAKONI, MISSION, BUILDING))
                account = {GENERAL: KOLLEKT, BUILDING: INSAMLING}.get(fund, DESIGNATED)
                self.gift_entry(day, "Bankgiro", "Julgåva", [(account, cents, fund)], "bankgiro", giver.donor)

    # -- money going out --------------------------------------------------

    def pay(self, day: dt.date, payee: str, narration: str, postings: list[tuple[str, Decimal, str]],
            check: bool = False, extra: dict[str, str] | None = None, receipt_kind: str = "",
            document: str = "Invoice", method: str = "") -> str | None:
        """A Swedish congregation writes no checks: every payment leaves by bankgiro (or as ``method`` says)."""
        return super().pay(day, payee, narration, postings, False, extra, receipt_kind, document, method)

    def expense(self, day: dt.date, payee: str, narration: str, account: str, amount: Decimal,
                check: bool = False, method: str = "") -> None:
        self.pay(day, payee, narration, [(account, amount, "")], method=method)

    def schedule_expenses(self) -> None:
        rng = self.rng
        raise_by = {year: Decimal("1.03") ** (year - self.start.year)
                    for year in range(self.start.year, self.today.year + 1)}
        self.taxes_due: list[tuple[str, Decimal, Decimal]] = []
        for month in _month_starts(self.start, self.today):
            name = MONTHS[month.month - 1]
            previous = MONTHS[(month.month - 2) % 12]
            use = (month.month - 2) % 12
            bills = (
                (3, self.expense, "Vattenfall", f"El för {previous}", ENERGY,
                 self.varied(200000 * ELECTRIC[use] // 100)),
                (8, self.expense, "Åbyholms Energi", f"Fjärrvärme för {previous}", ENERGY,
                 self.varied(300000 * GAS[use] // 100, 12)),
                (20, self.expense, "Equmeniakyrkan", f"Församlingsavgift till samfundet, {name}", SAMFUND,
                 _money(_scaled(700000, self.scale))),
                (28, self.expense, "Swedbank", "Kontoavgifter och Swish för företag", BANK_FEES,
                 _money(rng.randint(28000, 42000)), False, "transfer"),
            )
            for day_number, handler, *args in bills:
                self.later(_day_in(month, day_number), handler, *args)
            self.later(month.replace(day=12), self.pay_taxes, previous)
            self.later(month.replace(day=25), self.payroll_sv, name, raise_by[month.year])
            self.later(_day_in(month, 0), self.interest)
            self.later(month.replace(day=10), self.sweep)
            rent = _scaled(_scaled(450000, raise_by[month.year]), self.scale)
            if month.replace(day=5) <= self.today:
                self.gift_entry(month.replace(day=5), "Åbyholms kulturskola", f"Hyra för lokaler, {name}",
                                [(RENT, rent, GENERAL)], "bankgiro")
            current = (month.year, month.month) == (self.today.year, self.today.month)
            last = min(28, self.today.day) if current else 28
            for kind, low, high in RANDOM_MONTHLY:
                for _ in range(rng.randint(low, high) * self.plan.spread):
                    day = month.replace(day=rng.randint(1, 28))
                    if day.day > last:
                        continue
                    share = self.scale / self.plan.spread
                    if kind == "benevolence":
                        payee, narration = rng.choice(AID)
                        self.later(day, self.benevolence, payee, narration,
                                   _money(_scaled(rng.randint(600, 6000) * 100, share)))
                        continue
                    choices, account, mean = SPENDING[kind]
                    payee, narration = rng.choice(choices)
                    amount = _money(_scaled(rng.randint(mean // 4, mean * 7 // 4), share))
                    self.later(day, self.expense, payee, narration, account, amount)
        for year in range(self.start.year, self.today.year + 1):
            factor = Decimal("1.04") ** (year - self.start.year)
            for month_number in (1, 4, 7, 10):
                self.later(dt.date(year, month_number, 15), self.expense, "Länsförsäkringar",
                           "Fastighetsförsäkring, kvartalspremie", INSURANCE,
                           _money(_scaled(_scaled(750000, factor), self.scale)))
            for month_number in (3, 6, 9, 12):
                self.later(dt.date(year, month_number, 22), self.expense, "Åbyholms Stadsmission",
                           "Kvartalsbidrag till stadsmissionen", LOCAL_MISSION, self.varied(500000, 0))
                self.later(dt.date(year, month_number, 24), self.forward_mission)
            self.later(dt.date(year, 6, 30), self.board_transfer, GENERAL, MISSION,
                       _money(_scaled(2000000, self.scale)), "Styrelsens överföring till Missionsinsamlingen")
            self.later(dt.date(year, 12, 31), self.year_end)
        stages = self.words["stages"]
        for index, day in enumerate(_building_project_dates(self.start, self.today)):
            self.later(day, self.building_project, stages[index], index)

    def payroll_sv(self, day: dt.date, month: str, raise_by: Decimal) -> None:
        """Salaries on the 25th: the net to the staff; källskatt and arbetsgivaravgifter become debts."""
        gross = sum((_money(_scaled(_scaled(salary * 100, raise_by), self.scale)) for _, salary in STAFF), _money(0))
        tax = (gross * WITHHOLDING).quantize(Decimal(1), ROUND_DOWN).quantize(Decimal("0.01"))
        fees = (gross * EMPLOYER_RATE).quantize(Decimal("0.01"))
        staff = " och ".join(role for role, _ in STAFF)
        paid = self.pay(day, "Löneutbetalning", f"Löner för {month}: {staff}",
                        [(SALARIES, gross, ""), (EMPLOYER_FEES, fees, ""), (TAX_DUE, -tax, ""), (FEES_DUE, -fees, "")],
                        check=False, document="Lönelista", method="transfer")
        if paid is not None:
            self.taxes_due.append((f"{month} {day.year}", tax, fees))

    def pay_taxes(self, day: dt.date, previous: str) -> None:
        """The 12th: last month's källskatt and arbetsgivaravgifter to the skattekonto."""
        if not self.taxes_due:
            return
        month, tax, fees = self.taxes_due.pop(0)
        self.pay(day, "Skatteverket", f"Källskatt och arbetsgivaravgifter för {month}",
                 [(TAX_DUE, tax, ""), (FEES_DUE, fees, "")], check=False, document="Skattedeklaration")

    def forward_mission(self, day: dt.date) -> None:
        """Each quarter the mission gifts go on to the samfund's mission."""
        amount = self.fund[MISSION].quantize(Decimal(1), ROUND_DOWN).quantize(Decimal("0.01"))
        if amount > 0:
            self.pay(day, "Equmeniakyrkan", "Insamlade missionsgåvor vidarebefordrade till samfundets mission",
                     [(SAMFUND, amount, MISSION)], check=False, document="Insamlingsredovisning")

    def opening(self) -> None:
        rng = self.rng
        checking, savings = self.varied(25000000, 20), self.varied(80000000, 20)
        funds = {BUILDING: self.varied(35000000, 20), MISSION: self.varied(3000000, 30),
                 DIAKONI: self.varied(2500000, 30)}
        funds = {GENERAL: checking + savings - sum(funds.values()), **funds}
        day = self.start
        self.write(day, self.head(day, "Ingående balanser", "Balanser från föregående bokföring")
                   + self.line(BANK, checking) + self.line(SAVINGS, savings)
                   + "".join(self.line(OPENING, -amount, fund=fund) for fund, amount in funds.items()))
        self.checking, self.savings = checking, savings
        self.fund.update(funds)
        self.rates = {year: Decimal(rng.choice((25, 50, 75, 100, 150, 200))) / 10000
                      for year in range(self.start.year, self.today.year + 1)}

    def run(self) -> None:
        super().run()
        day = self.start.isoformat()
        with open(self.folder / ACCOUNTS_FILE, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(
                "\n; Församlingen: organisationsnummer, adress, Skatteverkets godkännande som gåvomottagare\n"
                "; och de ändamål vars gåvor ger skattereduktion (diakoni: social välfärd).\n"
                f'{day} custom "finsek" "tax-id" {quote(ORGNR)}\n'
                f'{day} custom "finsek" "address" {quote(ADDRESS)}\n'
                f'{day} custom "finsek" "gift-approval" {quote(APPROVAL)}\n'
                f'{day} custom "finsek" "gift-purposes" "{DIAKONI}"\n'
            )


def generate_demo_sv(path: Path, years: int = 3, transactions: int | None = None, seed: int = 1,
                     today: dt.date | None = None, name: str = "Betaniakyrkan i Åbyholm") -> Path:
    """Create the Swedish demo ledger at ``path`` and return the path of its main file (see the module)."""
    return build(path, SwedishGenerator, years, transactions, seed, today, name, LOCALE, expected_transactions)
