"""camt.053 statements, versions 001.02 and 001.08, and the file's own namespace."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.core.errors import Refused
from finsek.imports.camt053 import parse_camt053, read_camt053

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


def test_version_02():
    statement = read_camt053(FIXTURES / "camt053_v2.xml")
    assert statement.source == "camt.053.001.02"
    assert statement.account == "SE45 5000 0000 0583 9825 7466" and statement.currency == "SEK"
    assert (statement.start, statement.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (statement.opening, statement.closing) == (D("42338.25"), D("48719.50"))
    assert [(line.date, line.amount, line.ref) for line in statement.lines] == [
        (dt.date(2026, 11, 2), D("500.00"), "2026110250000001"),
        (dt.date(2026, 11, 5), D("-1823.75"), "2026110550000002"),
        (dt.date(2026, 11, 24), D("7800.00"), "2026112450000003"),
        (dt.date(2026, 11, 30), D("-95.00"), "2026113050000005"),
    ]
    assert statement.lines[0].text == "Åsa Lindström - Gåva till diakonin"
    assert statement.lines[1].text == "Ellevio AB - Faktura 881234"  # the creditor on a debit
    assert any("PDNG" in note for note in statement.notes)  # the pending card purchase is noted, not a line
    assert statement.opening + sum(line.amount for line in statement.lines) == statement.closing


def test_version_08_check_number_and_party_names():
    statement = read_camt053(FIXTURES / "camt053_v8.xml")
    assert statement.source == "camt.053.001.08" and statement.account == "000123456789"
    assert (statement.opening, statement.closing) == (D("3248.80"), D("4410.27"))  # OPBD wins over PRCD
    check = statement.lines[3]
    assert (check.amount, check.check, check.ref) == (D("-182.40"), "1043", "FT26328X0004")
    assert statement.lines[0].text == "City Power & Light - WEB PMT ACCT 4471"
    assert statement.opening + sum(line.amount for line in statement.lines) == statement.closing


def test_any_later_version_reads_the_same():
    raw = (FIXTURES / "camt053_v8.xml").read_bytes().replace(b"camt.053.001.08", b"camt.053.001.13")
    assert parse_camt053(raw).source == "camt.053.001.13"


def test_not_camt053_and_doctype_refused():
    with pytest.raises(Refused, match=r"not a camt\.053"):
        parse_camt053(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>')
    evil = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>')
    with pytest.raises(Refused, match="DOCTYPE"):
        parse_camt053(evil)
    with pytest.raises(Refused, match="not readable XML"):
        parse_camt053(b"<Document")


def test_several_accounts_need_one_named():
    raw = (FIXTURES / "camt053_v8.xml").read_text(encoding="utf-8")
    stmt = raw[raw.index("<Stmt>"):raw.index("</Stmt>") + len("</Stmt>")]
    other = stmt.replace("000123456789", "000999999999")
    doubled = raw.replace(stmt, stmt + other).encode()
    with pytest.raises(Refused, match="several accounts"):
        parse_camt053(doubled)
    assert len(parse_camt053(doubled, account_id="000999999999").lines) == 5
