"""Giving statements, donor histories, pledge and giver reports: as data.

Everything here is plain Python over the books (no pandas), exact to the
cent with ``Decimal``. The renderers (``giving_render``) and the faces (the
CLI, the TUI's Donors screen) only format what these functions return.

- ``build_statements(books, year, ...)``: one ``Statement`` per donor (or
  household) with gifts in the calendar year.
- ``donor_history(books, donor_id, ...)``: a donor's (or household's) gifts
  and totals by year and fund, and pledge progress.
- ``pledge_report(books, ...)``: pledged, given, outstanding per pledge.
- ``givers_report(books, year)``: giving households by size band, no names.

Statements are for the tax year, which is the calendar year in the US and in
Sweden, whatever the ledger's fiscal year. Anonymous gifts never appear.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from finsek.core.dates import fiscal_year
from finsek.core.errors import Refused
from finsek.core.money import format_amount, precision, quantize
from finsek.giving.pledges import Gift, PledgeProgress, pledge_progress, read_pledges, scan_gifts
from finsek.ledger import conventions as conv
from finsek.ledger.donors import Donor, unknown_donor

ZERO = Decimal(0)

#: Statement-template setting (``custom "finsek" "statement-template" "..."``) and default file.
TEMPLATE_SETTING = "statement-template"
TEMPLATE_FILE = "statement-template.txt"
#: The Swedish tax agency's approval of the organisation (``custom "finsek" "gift-approval" "..."``).
APPROVAL_SETTING = "gift-approval"

#: Sections a template may hold, in the order they are printed.
SECTIONS = (
    "intro", "no-goods", "goods", "quid-pro-quo", "approved", "not-approved", "tax-id", "no-tax-id", "closing",
    "signature",
)
PLACEHOLDERS = (
    "organisation", "year", "recipient", "total", "deductible", "goods", "threshold", "approval", "tax_id",
    "donor_tax_id", "issued", "qualifying_total",
)

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
Tack för dina gåvor till {organisation} under {year}. Här är alla gåvor vi har tagit emot från dig enligt vår \
bokföring, sammanlagt {total}.

[goods]
För gåvor markerade med * fick du varor eller tjänster tillbaka. Bara den del som är större än deras värde \
räknas som gåva (kolumnen Gåva): sammanlagt {deductible}.

[approved]
{organisation} är godkänd gåvomottagare hos Skatteverket ({approval}). Gåvor i pengar på minst 200 kr vid \
varje gåvotillfälle ger rätt till skattereduktion om de under året sammanlagt är minst 2 000 kr. Dina gåvor \
på minst 200 kr var sammanlagt {qualifying_total}.

[tax-id]
Vi rapporterar dina gåvor till Skatteverket med ditt personnummer ({donor_tax_id}), så skattereduktionen \
kommer med i din deklaration utan att du behöver göra något.

[no-tax-id]
Vi har inte ditt personnummer. Vi kan bara rapportera gåvor till Skatteverket, och du kan bara få \
skattereduktion, om du ger oss det: hör av dig till oss.

[not-approved]
{organisation} är inte godkänd gåvomottagare hos Skatteverket, så gåvorna ger inte rätt till skattereduktion.

[closing]
Spara gärna det här beskedet. Hör av dig till oss om något inte stämmer, så rättar vi det.
"""

BUILT_IN = {"us": US_TEMPLATE, "se": SE_TEMPLATE, "sweden": SE_TEMPLATE}

LABELS = {
    "en": {
        "title": "Giving statement", "year": "Year", "issued": "Issued", "donor": "Donor", "household": "Household",
        "date": "Date", "fund": "Fund", "method": "Method", "amount": "Amount", "goods": "Goods/services",
        "deductible": "Deductible", "by": "Given by", "total": "Total", "tax_id": "Tax ID (EIN)",
        "by_fund": "Your giving by fund", "pledges": "Pledges", "pledged": "Pledged", "given": "Given",
        "outstanding": "Remaining", "period": "Period", "page": "Page", "of": "of", "and": "and",
        "continued": "continued", "qualifying": "Gifts of at least {threshold}", "gifts": "Your gifts",
        "disclosure": "Quid pro quo disclosure", "received": "goods or services", "payment": "payment",
        "no_address": "(no address on file)",
        "methods": {"cash": "Cash", "check": "Check", "card": "Card", "transfer": "Bank transfer",
                    "online": "Online", "other": "Other"},
    },
    "sv": {
        "title": "Gåvobesked", "year": "År", "issued": "Datum", "donor": "Givare", "household": "Hushåll",
        "date": "Datum", "fund": "Ändamål", "method": "Sätt", "amount": "Belopp", "goods": "Varor/tjänster",
        "deductible": "Gåva", "by": "Givare", "total": "Summa", "tax_id": "Org.nr",
        "by_fund": "Dina gåvor per ändamål", "pledges": "Utfästelser", "pledged": "Utfäst", "given": "Givet",
        "outstanding": "Kvar", "period": "Period", "page": "Sida", "of": "av", "and": "och",
        "continued": "forts.", "qualifying": "Gåvor på minst {threshold}", "gifts": "Dina gåvor",
        "disclosure": "Motprestation", "received": "varor eller tjänster", "payment": "betalning",
        "no_address": "(ingen adress registrerad)",
        "methods": {"cash": "Kontant", "check": "Check", "card": "Kort", "transfer": "Banköverföring",
                    "online": "Online", "other": "Annat"},
    },
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
}


def language(locale: str) -> str:
    return "sv" if (locale or "").lower().startswith("sv") else "en"


def home_country(locale: str) -> str:
    return (locale or "en_US").split("_")[-1].upper() if "_" in (locale or "") else "US"


def long_date(day: dt.date, locale: str) -> str:
    lang = language(locale)
    month = MONTHS[lang][day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "sv" else f"{month} {day.day}, {day.year}"


def _digits(amount: Decimal, currency: str, locale: str) -> str:
    digits = precision(currency)
    text = f"{quantize(amount, currency):,.{digits}f}"
    if locale.startswith("sv"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def whole(amount: Decimal, locale: str) -> str:
    """A round amount without decimals (``1,000`` or ``1 000``); cents shown only when there are some."""
    text = f"{amount:,f}" if amount != amount.to_integral_value() else f"{int(amount):,}"
    return text.replace(",", "\u00a0").replace(".", ",") if locale.startswith("sv") else text


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


def _fund_title(books, fund: str) -> str:
    found = books.funds.get(fund)
    return found.title if found else fund


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
    if lang == "sv" and not org.approval:
        problems.append(
            'The ledger does not say whether the tax agency has approved the organisation as a gift recipient: '
            'add custom "finsek" "gift-approval" "<decision and date>" (or "no") so statements can say so.'
        )
    statements = []
    for key in sorted(groups, key=_sort_key):
        gifts = groups[key]
        statement = _statement(books, key, gifts, year, household, progress, template, org, issued, threshold,
                               labels)
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


def _sort_key(key: str):
    match = re.fullmatch(r"([A-Za-z]*)(\d+)", key)
    return (match.group(1), int(match.group(2)), key) if match else (key, 0, key)


def _statement(books, key, gifts, year, household, progress, template, org, issued, threshold, labels) -> Statement:
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
    for gift in sorted(gifts, key=lambda g: (g.date, g.lineno)):
        lines.append(StatementLine(
            gift.date, gift.fund, _fund_title(books, gift.fund), gift.method, gift.check, gift.amount,
            gift.goods_services, gift.deductible, gift.recorded_as, names.get(gift.donor, gift.donor),
            bool(lang == "en" and gift.goods_services and gift.amount > threshold),
            bool(lang == "sv" and not gift.goods_services and gift.amount >= threshold),
        ))
    total = sum((line.amount for line in lines), ZERO)
    goods_total = sum((line.goods for line in lines), ZERO)
    deductible_total = sum((line.deductible for line in lines), ZERO)
    qualifying_total = sum((line.deductible for line in lines if line.qualifying), ZERO)
    funds: dict[str, Decimal] = {}
    for line in lines:
        funds[line.fund] = funds.get(line.fund, ZERO) + line.amount
    order = list(books.funds)
    by_fund = [
        FundTotal(fund, _fund_title(books, fund), amount)
        for fund, amount in sorted(funds.items(), key=lambda item: (order.index(item[0]) if item[0] in order
                                                                    else len(order), item[0]))
    ]
    statement_pledges = [
        StatementPledge(p.fund, _fund_title(books, p.fund), p.pledge.label, p.pledge.start, p.pledge.end,
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
    }
    wanted = ["intro", "goods" if goods_total else "no-goods"]
    if any(line.quid_pro_quo for line in lines):
        wanted.append("quid-pro-quo")
    if org.approval.lower() in ("no", "nej", "false"):
        wanted.append("not-approved")
    elif org.approval:
        wanted.extend(["approved", "tax-id" if tax_ids else "no-tax-id"])
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


# -- a donor's history ----------------------------------------------------------------


@dataclass
class DonorHistory:
    """A donor's (or household's) giving: totals by year and fund, the gifts, pledge progress."""

    donor: Donor | None
    key: str
    members: list[Donor]
    donor_ids: list[str]
    by_year: dict[int, dict[str, Decimal]]
    """``{year: {fund: total}}``, years ascending."""
    totals: dict[int, Decimal]
    gifts: list[Gift]
    """All gifts, or the chosen year's."""
    pledges: list[PledgeProgress]
    funds: list[str]
    first_gift: dt.date | None
    last_gift: dt.date | None

    @property
    def grand_total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)


def donor_history(
    books, donor_id: str, *, year: int | None = None, household: bool = False, as_of: dt.date | None = None
) -> DonorHistory:
    """Everything a donor gave, for ``finsek donor show`` and the TUI's donor view.

    ``donor_id`` may be a merged id (its survivor is shown). With ``household``
    the whole household's giving is counted. ``year`` limits the gift list
    (the totals by year always cover every year).
    """
    registry = books.donors
    if registry.exists and donor_id not in registry:
        raise unknown_donor(donor_id)
    canonical = registry.canonical(donor_id)
    record = registry.get(canonical)
    key = registry.household_of(canonical) if household else canonical
    members = registry.household_members(key) if household else ([record] if record else [])
    survivors = [member.id for member in members] or [canonical]
    ids = [donor for survivor in survivors for donor in (registry.ids_of(survivor) if registry.exists else [survivor])]
    scan = scan_gifts(books, donors=set(survivors))
    by_year: dict[int, dict[str, Decimal]] = {}
    for gift in scan.gifts:
        funds = by_year.setdefault(gift.date.year, {})
        funds[gift.fund] = funds.get(gift.fund, ZERO) + gift.amount
    by_year = dict(sorted(by_year.items()))
    totals = {year_: sum(funds.values(), ZERO) for year_, funds in by_year.items()}
    order = list(books.funds)
    used = {fund for funds in by_year.values() for fund in funds}
    funds = sorted(used, key=lambda fund: (order.index(fund) if fund in order else len(order), fund))
    pledges = [p for p in read_pledges(books).pledges if p.donor in survivors]
    progress = pledge_progress(books, pledges, as_of=as_of, gifts=scan.gifts)
    gifts = [gift for gift in scan.gifts if year is None or gift.date.year == year]
    dates = [gift.date for gift in scan.gifts]
    return DonorHistory(record, key, members, ids, by_year, totals, gifts, progress, funds,
                        min(dates) if dates else None, max(dates) if dates else None)


# -- pledges report ---------------------------------------------------------------------


@dataclass
class PledgeRow:
    donor: str
    name: str
    fund: str
    fund_title: str
    label: str
    start: dt.date
    end: dt.date
    pledged: Decimal
    given: Decimal
    outstanding: Decimal
    percent: Decimal | None


@dataclass
class PledgeReport:
    rows: list[PledgeRow]
    by_fund: dict[str, tuple[Decimal, Decimal, Decimal]]
    """``{fund: (pledged, given, outstanding)}``."""
    pledged: Decimal
    given: Decimal
    outstanding: Decimal
    as_of: dt.date
    period: tuple[dt.date, dt.date] | None
    problems: list[str]


def pledge_report(
    books, *, fund: str | None = None, year: int | None = None, as_of: dt.date | None = None, all_: bool = False
) -> PledgeReport:
    """Pledges whose period overlaps fiscal year ``year`` (default: the fiscal year of ``as_of``, which
    defaults to today), or every pledge with ``all_``; given counts gifts up to ``as_of``."""
    if fund and books.funds and fund not in books.funds:
        raise Refused(f"There is no fund '{fund}': use one of {', '.join(books.funds)}.", "fund")
    as_of = as_of or dt.date.today()
    start_month = books.settings.fiscal_year_start
    period = fiscal_year(dt.date(year, start_month, 1) if year is not None else as_of, start_month)
    scan = read_pledges(books)
    chosen = [
        p for p in scan.pledges
        if (fund is None or p.fund == fund) and (all_ or (p.start <= period[1] and p.end >= period[0]))
    ]
    progress = pledge_progress(books, chosen, as_of=as_of)
    rows = []
    by_fund: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for item in progress:
        record = books.donors.get(item.donor)
        rows.append(PledgeRow(item.donor, record.name if record else "", item.fund, _fund_title(books, item.fund),
                              item.pledge.label, item.pledge.start, item.pledge.end, item.pledged, item.given,
                              item.outstanding, item.percent))
        pledged, given, outstanding = by_fund.get(item.fund, (ZERO, ZERO, ZERO))
        by_fund[item.fund] = (pledged + item.pledged, given + item.given, outstanding + item.outstanding)
    rows.sort(key=lambda row: (row.fund, _sort_key(row.donor), row.start))
    return PledgeReport(
        rows, by_fund, sum((r.pledged for r in rows), ZERO), sum((r.given for r in rows), ZERO),
        sum((r.outstanding for r in rows), ZERO), as_of, None if all_ else period, scan.problems,
    )


# -- givers by size band -------------------------------------------------------------------

#: Where the size bands divide, in whole units of a dollar-like currency: under 100, 100 to under 500, ...
BANDS = (Decimal(100), Decimal(500), Decimal(1000), Decimal(2500), Decimal(5000), Decimal(10000))
#: Currencies whose gifts run about ten (or a hundred) times larger in number.
_BAND_SCALE = {"SEK": 10, "NOK": 10, "DKK": 10, "JPY": 100, "ISK": 100}


#: Bands with fewer households than this show no total, so no one household's giving can be read off.
MIN_BAND = 3


@dataclass
class Band:
    low: Decimal | None
    high: Decimal | None
    households: int
    total: Decimal
    label: str

    @property
    def shown_total(self) -> Decimal | None:
        """The band's total, or None when too few households are in it to show it."""
        return self.total if self.households >= MIN_BAND or self.households == 0 else None


@dataclass
class GiversReport:
    year: int
    bands: list[Band]
    households: int
    total: Decimal
    """Gifts of the households in the bands."""
    without_donor: Decimal
    """Contributions (``Income:Contributions``) recorded without a donor: loose offerings, anonymous gifts."""
    net_zero: int
    """Households whose gifts in the year add up to nothing or less (refunds), not in any band."""
    currency: str
    locale: str


def default_bands(currency: str) -> list[Decimal]:
    scale = _BAND_SCALE.get(currency, 1)
    return [cut * scale for cut in BANDS]


def givers_report(books, year: int, bands: list[Decimal] | None = None) -> GiversReport:
    """How many households gave how much in calendar year ``year``: counts and totals only, no names.

    ``bands`` are the amounts where one band ends and the next begins (default
    100, 500, 1,000, 2,500, 5,000, 10,000; ten times that in SEK).
    """
    cuts = sorted(set(bands if bands is not None else default_bands(books.currency)))
    if not cuts or cuts[0] <= 0:
        raise Refused("Size bands divide at amounts above zero: give them like 100,500,1000.", "bands")
    registry = books.donors
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    homes: dict[str, Decimal] = {}
    for gift in scan_gifts(books, start, end).gifts:
        key = registry.household_of(gift.donor)
        homes[key] = homes.get(key, ZERO) + gift.amount
    without = ZERO
    for entry in books.entries:
        if isinstance(entry, data.Transaction) and entry.flag != "P" and start <= entry.date <= end:
            for posting in entry.postings:
                if (conv.account_matches(posting.account, "Income:Contributions") and posting.units is not None
                        and posting.units.currency == books.currency and conv.posting_donor(entry, posting) is None):
                    without -= posting.units.number
    currency, locale = books.currency, books.locale
    edges: list[Decimal | None] = [None, *cuts, None]
    result = []
    for low, high in itertools.pairwise(edges):
        amounts = [
            amount for amount in homes.values()
            if amount > 0 and (low is None or amount >= low) and (high is None or amount < high)
        ]
        if low is None:
            label = f"under {whole(high, locale)}"
        elif high is None:
            label = f"{whole(low, locale)} and more"
        else:
            label = f"{whole(low, locale)} to under {whole(high, locale)}"
        result.append(Band(low, high, len(amounts), sum(amounts, ZERO), label))
    positive = [amount for amount in homes.values() if amount > 0]
    return GiversReport(year, result, len(positive), sum(positive, ZERO), without,
                        sum(1 for amount in homes.values() if amount <= 0), currency, locale)
