"""Words and orderings the giving reports share.

The labels of a statement in English or Swedish, long dates, the home
country of a locale, a fund's title, and the order funds and donor ids are
listed in.
"""

import datetime as dt
import re

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
                    "online": "Online", "swish": "Swish", "bankgiro": "Bankgiro",
                    "other": "Other"},
    },
    "sv": {
        "title": "Gåvobesked", "year": "År", "issued": "Datum", "donor": "Givare", "household": "Hushåll",
        "date": "Datum", "fund": "Ändamål", "method": "Sätt", "amount": "Belopp", "goods": "Varor/tjänster",
        "deductible": "Gåva", "by": "Givare", "total": "Summa", "tax_id": "Org.nr",
        "by_fund": "Dina gåvor per ändamål", "pledges": "Utfästelser", "pledged": "Utfäst", "given": "Givet",
        "outstanding": "Kvar", "period": "Period", "page": "Sida", "of": "av", "and": "och",
        "continued": "forts.", "qualifying": "Gåvor som räknas för skattereduktion", "gifts": "Dina gåvor",
        "disclosure": "Motprestation", "received": "varor eller tjänster", "payment": "betalning",
        "no_address": "(ingen adress registrerad)",
        "methods": {"cash": "Kontant", "check": "Check", "card": "Kort", "transfer": "Banköverföring",
                    "online": "Online", "swish": "Swish", "bankgiro": "Bankgiro",
                    "other": "Annat"},
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


def fund_title(books, fund: str) -> str:
    """The fund's title as the ledger declares it, else its name."""
    found = books.funds.get(fund)
    return found.title if found else fund


def fund_order(books):
    """A sort key for funds: the order the ledger declares them in, then undeclared funds by name."""
    order = list(books.funds)
    return lambda fund: (order.index(fund) if fund in order else len(order), fund)


def key_order(key: str):
    """A sort key for donor and household ids: ``D2`` before ``D10``."""
    match = re.fullmatch(r"([A-Za-z]*)(\d+)", key)
    return (match.group(1), int(match.group(2)), key) if match else (key, 0, key)
