"""camt.053 bank-to-customer statements (ISO 20022), any version from 001.02 on.

The namespace is read from the file's root element (``urn:iso:std:iso:20022:
tech:xsd:camt.053.001.NN``), never assumed, so a bank's newer version reads
the same. Each booked entry (``Ntry`` with status ``BOOK``, or no status) is
one statement line: booking date, amount signed by its credit/debit
indicator, the bank's reference ``AcctSvcrRef`` (the entry's, else its
transaction's), the check number ``ChqNb``, and a text from the counterparty's
name, the unstructured remittance information and the entry's additional
information. The opening balance is ``OPBD`` (else ``PRCD``), the closing
``CLBD``. Pending entries are left out and noted.

Parsed with lxml without entities, DTDs or network: a DOCTYPE is refused.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from finsek.core.errors import Refused
from finsek.imports.statement import Statement, StatementLine, chronological

MAX_BYTES = 100 * 1024 * 1024
_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d+)$")


def is_camt053(head: bytes) -> bool:
    """Whether the start of a file looks like a camt.053 document."""
    return b"camt.053" in head and b"<" in head


def read_camt053(path: Path, account_id: str = "") -> Statement:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the camt.053 file.") from None
    if len(raw) > MAX_BYTES:
        raise Refused(f"{path} is larger than a bank statement can be: check that it is the right file.")
    return parse_camt053(raw, account_id, source=str(path))


def _parse_xml(raw: bytes, source: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True)
    try:
        tree = etree.fromstring(raw, parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise Refused(f"{source or 'The file'} is not readable XML ({error}): download the statement again.") from None
    if tree.docinfo.doctype:
        raise Refused(f"{source or 'The file'} declares a DOCTYPE, which a bank statement never has: "
                      "finsek does not read it.")
    return tree.getroot()


def parse_camt053(raw: bytes, account_id: str = "", source: str = "") -> Statement:
    root = _parse_xml(raw, source)
    namespace = etree.QName(root).namespace or ""
    version = _NAMESPACE.match(namespace)
    if not version or int(version.group(1)) < 2:
        raise Refused(f"{source or 'The file'} is not a camt.053 statement of version 001.02 or later "
                      f"(its namespace is '{namespace}'): download the statement as camt.053.")
    ns = {"c": namespace}
    statements = root.findall("c:BkToCstmrStmt/c:Stmt", ns)
    if not statements:
        raise Refused(f"{source or 'The file'} has no statement (Stmt) in it: download the statement again.")
    by_account: dict[str, list[etree._Element]] = {}
    for stmt in statements:
        by_account.setdefault(_account(stmt, ns), []).append(stmt)
    if account_id:
        wanted = _compact(account_id)
        chosen = [s for key, items in by_account.items() if _compact(key) == wanted for s in items]
        if not chosen:
            raise Refused(f"{source or 'The file'} has no statement of the account {account_id}; it has "
                          f"{', '.join(by_account)}.")
    elif len(by_account) > 1:
        raise Refused(f"{source or 'The file'} holds statements of several accounts ({', '.join(by_account)}): "
                      "name the one to import.")
    else:
        chosen = statements
    lines: list[StatementLine] = []
    notes: list[str] = []
    openings: list[tuple[dt.date, Decimal]] = []
    closings: list[tuple[dt.date, Decimal]] = []
    previous: list[tuple[dt.date, Decimal]] = []
    starts, ends, currencies = [], [], set()
    for stmt in chosen:
        currency = stmt.findtext("c:Acct/c:Ccy", "", ns)
        for balance in stmt.findall("c:Bal", ns):
            code = balance.findtext("c:Tp/c:CdOrPrtry/c:Cd", "", ns)
            amount = _signed(balance, ns)
            day = _date(balance.find("c:Dt", ns), ns)
            currency = currency or balance.find("c:Amt", ns).get("Ccy", "")
            if code == "OPBD" and day is not None:
                openings.append((day, amount))
            elif code == "PRCD" and day is not None:  # the previous closing: the opening when OPBD is missing
                previous.append((day, amount))
            elif code == "CLBD" and day is not None:
                closings.append((day, amount))
        if currency:
            currencies.add(currency)
        period = stmt.find("c:FrToDt", ns)
        if period is not None:
            start = _date_text(period.findtext("c:FrDtTm", "", ns) or period.findtext("c:FrDt", "", ns))
            end = _date_text(period.findtext("c:ToDtTm", "", ns) or period.findtext("c:ToDt", "", ns))
            if start:
                starts.append(start)
            if end:
                ends.append(end)
        for entry in stmt.findall("c:Ntry", ns):
            status = entry.findtext("c:Sts/c:Cd", "", ns) or entry.findtext("c:Sts", "", ns)
            status = status.strip()
            line = _line(entry, ns)
            if status and status != "BOOK":
                notes.append(f"left out an entry the bank has not booked ({status}): {line.date} {line.amount} "
                             f"{line.text}")
                continue
            lines.append(line)
    ordered = chronological(lines)
    opening = min(openings)[1] if openings else (min(previous)[1] if previous else None)
    closing = max(closings)[1] if closings else None
    return Statement(
        account=account_id if account_id else next(iter(by_account)),
        start=min(starts) if starts else (ordered[0].date if ordered else None),
        end=max(ends) if ends else (ordered[-1].date if ordered else None),
        opening=opening, closing=closing, lines=tuple(ordered),
        currency=currencies.pop() if len(currencies) == 1 else "",
        source=f"camt.053.001.{version.group(1)}", notes=tuple(notes),
    )


def _compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def _account(stmt: etree._Element, ns: dict) -> str:
    return (stmt.findtext("c:Acct/c:Id/c:IBAN", "", ns) or stmt.findtext("c:Acct/c:Id/c:Othr/c:Id", "", ns)).strip()


def _signed(node: etree._Element, ns: dict) -> Decimal:
    amount_node = node.find("c:Amt", ns)
    text = (amount_node.text or "").strip() if amount_node is not None else ""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Refused(f"The camt.053 file has an amount finsek cannot read: '{text}'.") from None
    return -amount if node.findtext("c:CdtDbtInd", "", ns).strip() == "DBIT" else amount


def _date_text(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise Refused(f"The camt.053 file has a date finsek cannot read: '{text}'.") from None


def _date(node: etree._Element | None, ns: dict) -> dt.date | None:
    if node is None:
        return None
    return _date_text(node.findtext("c:Dt", "", ns) or node.findtext("c:DtTm", "", ns))


def _line(entry: etree._Element, ns: dict) -> StatementLine:
    amount = _signed(entry, ns)
    day = _date(entry.find("c:BookgDt", ns), ns) or _date(entry.find("c:ValDt", ns), ns)
    if day is None:
        raise Refused("The camt.053 file has an entry without a booking date: download the statement again.")
    details = entry.findall("c:NtryDtls/c:TxDtls", ns)
    ref = entry.findtext("c:AcctSvcrRef", "", ns).strip()
    check = ""
    if len(details) == 1:
        tx = details[0]
        ref = ref or tx.findtext("c:Refs/c:AcctSvcrRef", "", ns).strip()
        check = tx.findtext("c:Refs/c:ChqNb", "", ns).strip().lstrip("0")
    parts: list[str] = []
    for tx in details[:1]:
        party = "c:Cdtr" if amount < 0 else "c:Dbtr"
        name = (tx.findtext(f"c:RltdPties/{party}/c:Nm", "", ns)
                or tx.findtext(f"c:RltdPties/{party}/c:Pty/c:Nm", "", ns))
        parts.append(name)
        parts.extend(node.text or "" for node in tx.findall("c:RmtInf/c:Ustrd", ns))
        parts.append(tx.findtext("c:AddtlTxInf", "", ns))
    parts.append(entry.findtext("c:AddtlNtryInf", "", ns))
    texts = list(dict.fromkeys(" ".join(part.split()) for part in parts if part and part.strip()))
    return StatementLine(date=day, amount=amount, text=" - ".join(texts), ref=ref, check=check)
