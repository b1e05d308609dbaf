"""OFX and QFX statements, version 1 (SGML) and 2 (XML), read with ofxtools.

ofxtools (a maintained OFX library) parses and validates the file; each
``STMTTRN`` is a line: ``DTPOSTED``, ``TRNAMT``, ``FITID`` (the bank's
reference), ``CHECKNUM``, and ``NAME``/``PAYEE`` and ``MEMO`` as text. The
statement runs from ``DTSTART`` to ``DTEND``; its closing balance is
``LEDGERBAL`` (and the opening, that balance less the lines, when the ledger
balance is dated at the end of the statement). Bank and credit-card
statements are both read. Dates are the bank's own calendar day as written
in the file (ofxtools turns times into UTC, which can move a midnight across
a day).
"""

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

from ofxtools.Parser import OFXTree

from finsek.core.errors import Refused
from finsek.imports.statement import Statement, StatementLine, chronological

MAX_BYTES = 50 * 1024 * 1024


def is_ofx(head: bytes) -> bool:
    upper = head.upper()
    return b"OFXHEADER" in upper or b"<OFX>" in upper


def _day(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    if len(text) < 8 or not text[:8].isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def read_ofx(path: Path, account_id: str = "") -> Statement:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the OFX file.") from None
    if size > MAX_BYTES:
        raise Refused(f"{path} is larger than a bank statement can be: check that it is the right file.")
    tree = OFXTree()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # private tags such as <INTU.BID> are skipped, as they should be
            tree.parse(str(path))
            raw_statements = [node for node in tree.getroot().iter() if node.tag in ("STMTRS", "CCSTMTRS")]
            ofx = tree.convert()
    except Exception as error:  # ofxtools raises many kinds; each means the same to the user
        raise Refused(f"{path} is not an OFX or QFX file finsek can read ({error}): download it again, "
                      "or choose another format at the bank.") from None
    statements = list(ofx.statements)
    if not statements:
        raise Refused(f"{path} has no bank or card statement in it: download the statement again.")
    pairs = list(zip(statements, raw_statements, strict=False))
    accounts = [str(statement.account.acctid) for statement in statements]
    if account_id:
        pairs = [pair for pair, acctid in zip(pairs, accounts, strict=False) if acctid == account_id]
        if not pairs:
            raise Refused(f"{path} has no statement of the account {account_id}; it has {', '.join(accounts)}.")
    elif len(set(accounts)) > 1:
        raise Refused(f"{path} holds statements of several accounts ({', '.join(accounts)}): name the one to import.")
    statement, raw = pairs[0]
    raw_posted = [node.findtext("DTPOSTED") for node in raw.iter("STMTTRN")]
    lines = []
    transactions = list(statement.banktranlist or [])
    for number, item in enumerate(transactions):
        day = _day(raw_posted[number] if number < len(raw_posted) else None) or item.dtposted.date()
        texts = [str(value) for value in (item.name, getattr(item.payee, "name", None), item.memo) if value]
        lines.append(StatementLine(
            date=day, amount=Decimal(item.trnamt), text=" - ".join(dict.fromkeys(" ".join(t.split()) for t in texts)),
            ref=str(item.fitid or ""), check=str(item.checknum or "").lstrip("0"),
        ))
    ordered = chronological(lines)
    tranlist = raw.find("BANKTRANLIST")
    start = _day(tranlist.findtext("DTSTART")) if tranlist is not None else None
    end = _day(tranlist.findtext("DTEND")) if tranlist is not None else None
    closing = opening = None
    ledgerbal = statement.ledgerbal
    if ledgerbal is not None:
        closing = Decimal(ledgerbal.balamt)
        asof = _day(raw.findtext("LEDGERBAL/DTASOF"))
        if asof is not None and (not ordered or asof >= ordered[-1].date):
            opening = closing - sum((line.amount for line in ordered), Decimal(0))
    return Statement(
        account=account_id if account_id else accounts[0],
        start=start or (ordered[0].date if ordered else None), end=end or (ordered[-1].date if ordered else None),
        opening=opening, closing=closing, lines=tuple(ordered), currency=str(statement.curdef or ""),
        source=f"ofx:{tree.header.version if getattr(tree, 'header', None) else ''}".rstrip(":"),
    )
