"""Giving statements: one letter per donor (or household) for the tax year, as data.

Plain Python over the books (no pandas), exact to the cent with ``Decimal``.
``build_statements(books, year, ...)`` gives one ``Statement`` per donor (or
household) with gifts in the calendar year; ``finsek.giving.render`` and the
CLI only format it. The wording comes from a template: the built-in US or
Swedish text, or ``statement-template.txt`` beside the ledger.

Statements are for the tax year, which is the calendar year in the US and in
Sweden, whatever the ledger's fiscal year. Anonymous gifts never appear.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.core.errors import Refused
from finsek.core.money import format_amount, precision, quantize
from finsek.giving.pledges import ZERO, Gift, pledge_progress, read_pledges, scan_gifts
from finsek.giving.skattereduktion import MINIMUM_YEAR, PersonTotal, Reduction, counts, person_totals
from finsek.giving.wording import LABELS, fund_order, fund_title, home_country, key_order, language, long_date
from finsek.ledger import conventions as conv
from finsek.ledger.donors import Donor, unknown_donor

#: Statement-template setting (``custom "finsek" "statement-template" "..."``) and default file.
TEMPLATE_SETTING = "statement-template"
TEMPLATE_FILE = "statement-template.txt"
#: The Swedish tax agency's approval of the organisation (``custom "finsek" "gift-approval" "..."``).
APPROVAL_SETTING = "gift-approval"

#: Sections a template may hold, in the order they are printed.
SECTIONS = (
    "intro", "no-goods", "goods", "quid-pro-quo", "approved", "not-approved", "tax-id", "no-tax-id",
    "below-minimum", "closing", "signature",
)
PLACEHOLDERS = (
    "organisation", "year", "recipient", "total", "deductible", "goods", "threshold", "approval", "tax_id",
    "donor_tax_id", "issued", "qualifying_total", "qualifying_by_person", "missing", "purposes",
    "dina", "Dina", "dig", "du",
)
#: Swedish addressees: one giver is "du", a household "ni" ("dina gåvor", "era gåvor").
SV_PRONOUNS = {False: {"dina": "dina", "Dina": "Dina", "dig": "dig", "du": "du"},
               True: {"dina": "era", "Dina": "Era", "dig": "er", "du": "ni"}}

US_TEMPLATE = """\
[intro]
Thank you for your generous support of {organisation}. This statement lists every contribution we received \
from you in {year}, as recorded in our books: {total} in all.

[no-goods]
No goods or services were provided in exchange for these contributions other than intangible religious benefits.

[goods]
For the contributions marked *, {organisation} provided goods or services in return; our good-faith estimate \
of their value is in the column Goods/services. Only the part of a contribution that exceeds that value may be \
deductible (column Deductible): {deductible} in all. No other goods or services were provided for your \
contributions, other than intangible religious benefits.

[quid-pro-quo]
Each payment below was more than {threshold} and was partly a contribution and partly \
for goods or services. The amount of the contribution that is deductible for federal income tax purposes is \
limited to the excess of the money you gave over the value of the goods or services {organisation} provided. \
Our good-faith estimate of that value is given with each payment.

[closing]
Please keep this statement with your tax records. If anything on it looks wrong, contact us and we will \
correct it.
"""

SE_TEMPLATE = """\
[intro]
Tack för {dina} gåvor till {organisation} under {year}. Här är allt vi har tagit emot från {dig} enligt vår \
bokföring, sammanlagt {total}.

[goods]
Betalningar markerade med * gav {dig} varor eller tjänster tillbaka. De är inte gåvor och ger inte rätt till \
skattereduktion. {Dina} gåvor utan motprestation var sammanlagt {deductible}.

[approved]
{organisation} är godkänd gåvomottagare hos Skatteverket ({approval}). Gåvor i pengar till {purposes} på \
minst 200 kr vid varje gåvotillfälle ger rätt till skattereduktion för den som under året ger sammanlagt minst \
2 000 kr. Skattereduktionen räknas för varje person för sig.

[tax-id]
Vi rapporterar till Skatteverket: {qualifying_by_person}. Skattereduktionen kommer då med i deklarationen utan \
att {du} behöver göra något.

[no-tax-id]
Vi har inte giltigt personnummer för {missing}. Vi kan bara rapportera gåvor till Skatteverket, och {du} kan \
bara få skattereduktion, om {du} ger oss det: hör av {dig} till oss.

[below-minimum]
{Dina} gåvor som räknas för skattereduktion var under 2 000 kr för året, så vi rapporterar inga gåvor från \
{dig} till Skatteverket.

[not-approved]
{organisation} är inte godkänd gåvomottagare hos Skatteverket, så gåvorna ger inte rätt till skattereduktion.

[closing]
Spara gärna det här beskedet. Hör av {dig} till oss om något inte stämmer, så rättar vi det.
"""

BUILT_IN = {"us": US_TEMPLATE, "se": SE_TEMPLATE, "sweden": SE_TEMPLATE}


def _digits(amount: Decimal, currency: str, locale: str) -> str:
    digits = precision(currency)
    text = f"{quantize(amount, currency):,.{digits}f}"
    if locale.startswith("sv"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def custom_setting(books, key: str):
    """The last value of ``custom "finsek" KEY VALUE`` in the ledger, or None."""
    found = None
    for entry in books.entries:
        if isinstance(entry, data.Custom) and entry.type == "finsek":
            values = conv.custom_values(entry)
            if len(values) >= 2 and values[0] == key:
                found = values[1]
    return found


# -- the organisation ---------------------------------------------------------------


@dataclass
class Organisation:
    name: str
    address: list[str]
    tax_id: str
    approval: str = ""
    """Sweden: the tax agency's approval as the ledger states it (``gift-approval``); "no" when not approved."""


def organisation(books) -> Organisation:
    address = re.split(r"\s*[\n;]\s*", books.settings.organisation_address or "")
    approval = custom_setting(books, APPROVAL_SETTING)
    return Organisation(books.title, [line for line in address if line.strip()], books.settings.tax_id or "",
                        str(approval).strip() if approval is not None else "")


# -- acknowledgement templates ----------------------------------------------------


@dataclass
class Template:
    sections: dict[str, str]
    source: str

    def paragraph(self, section: str, values: dict[str, str]) -> str:
        text = self.sections.get(section, "")
        return fill(text, values, f"the [{section}] section of {self.source}") if text else ""


def parse_template(text: str, source: str) -> dict[str, str]:
    """Sections of a template text: ``[name]`` lines start a section; ``#`` lines are comments.
    Lines of a paragraph are joined; a blank line starts a new paragraph."""
    sections: dict[str, list[str]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.lstrip().startswith("#"):
            continue
        heading = re.fullmatch(r"\s*\[([A-Za-z-]+)\]\s*", line)
        if heading:
            current = heading.group(1).lower()
            if current not in SECTIONS:
                raise Refused(
                    f"Line {number} of {source} starts an unknown section [{current}]: "
                    f"use one of {', '.join('[' + name + ']' for name in SECTIONS)}."
                )
            sections[current] = []
            continue
        if current is None:
            if line.strip():
                raise Refused(f"Line {number} of {source} is outside a section: start the file with [intro].")
            continue
        sections[current].append(line.strip())
    result = {}
    for name, lines in sections.items():
        paragraphs, buffer = [], []
        for line in [*lines, ""]:
            if line:
                buffer.append(line)
            elif buffer:
                paragraphs.append(" ".join(buffer))
                buffer = []
        result[name] = "\n\n".join(paragraphs)
    return result


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def fill(text: str, values: dict[str, str], where: str) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise Refused(
                f"{{{name}}} in {where} is not a placeholder finsek knows: use {', '.join(PLACEHOLDERS)}."
            )
        return values[name]

    return _PLACEHOLDER.sub(replace, text)


def load_template(books) -> Template:
    """The acknowledgement wording: the built-in default for the ledger's locale, with the sections of
    ``statement-template.txt`` beside the ledger (or the file the ``statement-template`` setting names)
    put in its place. A setting of ``us`` or ``se`` picks a built-in text regardless of locale."""
    default_name = "se" if language(books.locale) == "sv" else "us"
    setting = custom_setting(books, TEMPLATE_SETTING)
    setting = str(setting).strip() if setting is not None else ""
    if setting.lower() in BUILT_IN:
        default_name, setting = setting.lower(), ""
    sections = parse_template(BUILT_IN[default_name], f"the built-in {default_name.upper()} text")
    source = f"the built-in {default_name.upper()} text"
    path = Path(books.root) / (setting or TEMPLATE_FILE)
    if setting and not path.is_file():
        raise Refused(
            f"The statement-template setting names {path}, which does not exist: create it or fix the setting."
        )
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise Refused(f"{path} could not be read as UTF-8 text ({error}): save it as UTF-8.") from None
        sections.update(parse_template(text, path.name))
        source = path.name
    return Template(sections, source)


# -- statements ---------------------------------------------------------------------


@dataclass
class StatementLine:
    date: dt.date
    fund: str
    fund_title: str
    method: str
    check: str
    amount: Decimal
    goods: Decimal
    deductible: Decimal
    recorded_as: str
    given_by: str
    quid_pro_quo: bool
    qualifying: bool


@dataclass
class FundTotal:
    fund: str
    title: str
    total: Decimal


@dataclass
class StatementPledge:
    fund: str
    title: str
    label: str
    start: dt.date
    end: dt.date
    pledged: Decimal
    given: Decimal
    outstanding: Decimal
    donor: str


@dataclass
class Paragraph:
    section: str
    text: str


@dataclass
class Statement:
    key: str
    kind: str
    """``donor`` or ``household``."""
    year: int
    recipient: str
    members: list[str]
    """Surviving donor ids the statement covers."""
    donor_ids: list[str]
    """Those ids and every id merged into them: the ids whose gifts are counted."""
    address: list[str]
    email: str
    donor_tax_id: str
    lines: list[StatementLine]
    total: Decimal
    goods_total: Decimal
    deductible_total: Decimal
    qualifying_total: Decimal
    by_fund: list[FundTotal]
    pledges: list[StatementPledge]
    paragraphs: list[Paragraph]
    organisation: Organisation
    currency: str
    locale: str
    issued: dt.date
    threshold: Decimal
    notes: list[str] = field(default_factory=list)

    @property
    def labels(self) -> dict:
        return LABELS[language(self.locale)]

    @property
    def has_goods(self) -> bool:
        return any(line.goods for line in self.lines)

    @property
    def show_given_by(self) -> bool:
        return len({line.given_by for line in self.lines}) > 1

    @property
    def quid_pro_quo(self) -> list[StatementLine]:
        return [line for line in self.lines if line.quid_pro_quo]

    def money(self, amount: Decimal, unit: bool = True) -> str:
        return format_amount(amount, self.currency, self.locale) if unit else _digits(amount, self.currency,
                                                                                       self.locale)

    def method(self, method: str) -> str:
        return self.labels["methods"].get(method, method)

    def as_dict(self) -> dict:
        """Plain JSON-ready data (amounts as exact decimal strings, dates ISO)."""

        def value(item):
            if isinstance(item, Decimal):
                return f"{quantize(item, self.currency):f}"
            if isinstance(item, dt.date):
                return item.isoformat()
            if isinstance(item, list):
                return [value(element) for element in item]
            if hasattr(item, "__dataclass_fields__"):
                return {name: value(getattr(item, name)) for name in item.__dataclass_fields__}
            return item

        result = {name: value(getattr(self, name)) for name in self.__dataclass_fields__}
        result["threshold"] = f"{self.threshold:f}"
        return result


@dataclass
class StatementSet:
    year: int
    statements: list[Statement]
    problems: list[str]
    organisation: Organisation
    household: bool


#: Lines (name included) and characters per line that fit an envelope window at a readable size.
WINDOW_LINES = 6
WINDOW_CHARACTERS = 52

#: Gifts over this much with goods or services need the US quid-pro-quo disclosure (26 USC 6115).
US_QUID_PRO_QUO = Decimal(75)
#: Swedish skattereduktion: gifts of at least this much per occasion qualify.
SE_MINIMUM = Decimal(200)


def joint_name(names: list[str], locale: str) -> str:
    """``Anna and Björn Svensson``; ``Anna Svensson and Pat O'Brien``; ``A, B and C``."""
    names = [name for name in names if name]
    word = LABELS[language(locale)]["and"]
    if len(names) <= 1:
        return names[0] if names else ""
    parts = [name.rsplit(" ", 1) for name in names]
    if len(names) == 2 and all(len(part) == 2 for part in parts) and parts[0][1] == parts[1][1]:
        return f"{parts[0][0]} {word} {parts[1][0]} {parts[0][1]}"
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def mask_tax_id(value: str) -> str:
    """Show a personal tax number with its last four digits hidden: ``19800101-****``."""
    text = value.strip()
    if not text:
        return ""
    digits = [index for index, char in enumerate(text) if char.isdigit()]
    hidden = set(digits[-4:]) if len(digits) > 4 else set(digits)
    return "".join("*" if index in hidden else char for index, char in enumerate(text))


def _group_key(registry, donor: str, household: bool) -> str:
    return registry.household_of(donor) if household else donor


def _members(registry, key: str, household: bool, donor: str) -> list[Donor]:
    if household:
        members = registry.household_members(key)
        if members:
            return sorted(members, key=lambda d: (not d.envelope, d.id))
    record = registry.get(donor)
    return [record] if record is not None else []


def build_statements(
    books,
    year: int,
    *,
    donors: list[str] | None = None,
    household: bool = False,
    issued: dt.date | None = None,
    template: Template | None = None,
) -> StatementSet:
    """Statements for ``year`` (calendar year): one per donor, or per household with ``household``.

    ``donors`` limits them to these ids (aliases accepted; with ``household`` the
    donors' households). Raises ``Refused`` for an id that is not in donors.csv.
    """
    registry = books.donors
    lang = language(books.locale)
    labels = LABELS[lang]
    template = template or load_template(books)
    org = organisation(books)
    issued = issued or dt.date.today()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    problems: list[str] = []
    wanted_keys = None
    if donors:
        wanted_keys = set()
        for donor in donors:
            if registry.exists and donor not in registry:
                raise unknown_donor(donor)
            wanted_keys.add(_group_key(registry, registry.canonical(donor), household))
    scan = scan_gifts(books, start, end)
    problems.extend(scan.problems)
    groups: dict[str, list[Gift]] = {}
    for gift in scan.gifts:
        key = _group_key(registry, gift.donor, household)
        if wanted_keys is None or key in wanted_keys:
            groups.setdefault(key, []).append(gift)
    pledges = read_pledges(books)
    problems.extend(pledges.problems)
    pledges_in_year = [p for p in pledges.pledges if p.start <= end and p.end >= start]
    progress = pledge_progress(books, pledges_in_year, as_of=end) if pledges_in_year else []
    threshold = SE_MINIMUM if lang == "sv" else US_QUID_PRO_QUO
    reduction = None
    if lang == "sv" and org.approval and org.approval.lower() not in NOT_APPROVED:
        reduction = person_totals(books, year, scan.gifts)
        problems.extend(reduction.problems)
    if lang == "sv" and not org.approval:
        problems.append(
            'The ledger does not say whether the tax agency has approved the organisation as a gift recipient: '
            'add custom "finsek" "gift-approval" "<decision and date>" (or "no") so statements can say so.'
        )
    statements = []
    for key in sorted(groups, key=key_order):
        gifts = groups[key]
        statement = _statement(books, key, gifts, year, household, progress, template, org, issued, threshold,
                               labels, reduction)
        if not statement.address:
            problems.append(f"{statement.key} ({statement.recipient}) has no postal address in donors.csv.")
        elif len(statement.address) + 1 > WINDOW_LINES:
            problems.append(
                f"The address of {statement.key} ({statement.recipient}) has {len(statement.address) + 1} lines with "
                f"the name; an envelope window shows {WINDOW_LINES}: shorten it in donors.csv."
            )
        if any(len(line) > WINDOW_CHARACTERS for line in [statement.recipient, *statement.address]):
            problems.append(
                f"A name or address line of {statement.key} is longer than {WINDOW_CHARACTERS} characters and may "
                "be cut short in the envelope window: shorten it in donors.csv."
            )
        statements.append(statement)
    return StatementSet(year, statements, problems, org, household)


NOT_APPROVED = ("no", "nej", "false")


def _reduction_values(books, people: list[PersonTotal], purposes: frozenset[str], plural: bool) -> dict[str, str]:
    """Placeholders of the Swedish text: who is reported with how much, who lacks a personnummer, the purposes."""
    word = LABELS["sv"]["and"]
    reported = [f"{person.name} ({mask_tax_id(person.personnummer)}) "
                f"{format_amount(person.counted, books.currency, books.locale)}"
                for person in people if person.reported]
    missing = [person.name for person in people if person.counted >= MINIMUM_YEAR and not person.reported]
    titles = [fund_title(books, fund) for fund in sorted(purposes)]
    return {
        "qualifying_by_person": _listed(reported, word), "missing": _listed(missing, word),
        "purposes": _listed(titles, word) or "ändamål som ger rätt till skattereduktion",
        **SV_PRONOUNS[plural],
    }


def _listed(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}" if items else ""


def _statement(books, key, gifts, year, household, progress, template, org, issued, threshold, labels,
               reduction: Reduction | None = None) -> Statement:
    registry = books.donors
    lang = language(books.locale)
    members = _members(registry, key, household, gifts[0].donor)
    member_ids = [member.id for member in members] or sorted({gift.donor for gift in gifts})
    for gift in gifts:
        if gift.donor not in member_ids:
            member_ids.append(gift.donor)
    donor_ids = []
    for member in member_ids:
        for donor_id in registry.ids_of(member) if member in registry else [member]:
            if donor_id not in donor_ids:
                donor_ids.append(donor_id)
    names = {member.id: member.name for member in members}
    notes = []
    for member in member_ids:
        if member not in names:
            record = registry.get(member)
            names[member] = record.name if record else f"{labels['donor']} {member}"
            if record is None:
                notes.append(f"{member} is not in donors.csv: the statement has no name or address for it.")
    recipient = joint_name([names[member] for member in member_ids], books.locale)
    home = home_country(books.locale)
    address: list[str] = []
    email = ""
    for member in members:
        lines = member.address_lines(home)
        if not address and lines:
            address = lines
        if not email and member.email:
            email = member.email
    tax_ids = [mask_tax_id(member.tax_id) for member in members if member.tax_id.strip()]
    lines = []
    purposes = reduction.purposes if reduction else frozenset()
    for gift in sorted(gifts, key=lambda g: (g.date, g.lineno)):
        # Under Swedish rules a payment with something in return is not a gift at all.
        gift_part = (ZERO if gift.goods_services else gift.amount) if lang == "sv" else gift.deductible
        lines.append(StatementLine(
            gift.date, gift.fund, fund_title(books, gift.fund), gift.method, gift.check, gift.amount,
            gift.goods_services, gift_part, gift.recorded_as, names.get(gift.donor, gift.donor),
            bool(lang == "en" and gift.goods_services and gift.amount > threshold),
            bool(reduction and counts(gift, purposes)),
        ))
    total = sum((line.amount for line in lines), ZERO)
    goods_total = sum((line.goods for line in lines), ZERO)
    deductible_total = sum((line.deductible for line in lines), ZERO)
    people = [person for person in (reduction.people if reduction else []) if person.donor in member_ids]
    qualifying_total = sum((person.counted for person in people if person.counted >= MINIMUM_YEAR), ZERO)
    funds: dict[str, Decimal] = {}
    for line in lines:
        funds[line.fund] = funds.get(line.fund, ZERO) + line.amount
    in_order = fund_order(books)
    by_fund = [
        FundTotal(fund, fund_title(books, fund), amount)
        for fund, amount in sorted(funds.items(), key=lambda item: in_order(item[0]))
    ]
    statement_pledges = [
        StatementPledge(p.fund, fund_title(books, p.fund), p.pledge.label, p.pledge.start, p.pledge.end,
                        p.pledged, p.given, p.outstanding, p.donor)
        for p in progress if p.donor in member_ids
    ]
    currency, locale = books.currency, books.locale
    values = {
        "organisation": org.name, "year": str(year), "recipient": recipient,
        "total": format_amount(total, currency, locale),
        "deductible": format_amount(deductible_total, currency, locale),
        "goods": format_amount(goods_total, currency, locale),
        "threshold": format_amount(threshold, currency, locale),
        "approval": org.approval, "tax_id": org.tax_id, "donor_tax_id": ", ".join(tax_ids),
        "issued": long_date(issued, locale), "qualifying_total": format_amount(qualifying_total, currency, locale),
        **_reduction_values(books, people, purposes, len(member_ids) > 1),
    }
    wanted = ["intro", "goods" if goods_total else "no-goods"]
    if any(line.quid_pro_quo for line in lines):
        wanted.append("quid-pro-quo")
    if org.approval.lower() in NOT_APPROVED:
        wanted.append("not-approved")
    elif org.approval and lang != "sv":
        wanted.extend(["approved", "tax-id" if tax_ids else "no-tax-id"])
    elif org.approval:
        wanted.append("approved")
        reaching = [person for person in people if person.counted >= MINIMUM_YEAR]
        if any(person.reported for person in reaching):
            wanted.append("tax-id")
        if any(not person.reported for person in reaching):
            wanted.append("no-tax-id")
        if not reaching:
            wanted.append("below-minimum")
    wanted.extend(["closing", "signature"])
    paragraphs = []
    for section in wanted:
        text = template.paragraph(section, values)
        if text:
            paragraphs.extend(Paragraph(section, part) for part in text.split("\n\n"))
    return Statement(
        key=key, kind="household" if household else "donor", year=year, recipient=recipient, members=member_ids,
        donor_ids=donor_ids, address=address, email=email, donor_tax_id=", ".join(tax_ids), lines=lines,
        total=total, goods_total=goods_total, deductible_total=deductible_total, qualifying_total=qualifying_total,
        by_fund=by_fund, pledges=statement_pledges, paragraphs=paragraphs, organisation=org, currency=currency,
        locale=locale, issued=issued, threshold=threshold, notes=notes,
    )
