"""OFX 1 (SGML, as QFX) and OFX 2 (XML) through ofxtools."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from finsek.core.errors import Refused
from finsek.imports.ofx import read_ofx

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


def test_ofx1_sgml():
    statement = read_ofx(FIXTURES / "ofx1_checking.qfx")
    assert statement.account == "000123456789" and statement.currency == "USD"
    assert (statement.start, statement.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (statement.opening, statement.closing) == (D("3248.80"), D("4410.27"))
    assert [line.ref for line in statement.lines] == ["202611020", "202611200", "202611230", "202611240", "202611300"]
    check = statement.lines[3]
    assert (check.amount, check.check) == (D("-182.40"), "1043")
    assert statement.lines[0].text == "CITY POWER & LIGHT WEB PMT - WEB PMT ACCT 4471"


def test_ofx2_xml():
    statement = read_ofx(FIXTURES / "ofx2_checking.ofx")
    assert statement.account == "9876543210"
    assert statement.closing == D("2985.63") and statement.opening == D("3250.00")
    assert [(line.date, line.amount) for line in statement.lines] == [
        (dt.date(2026, 11, 2), D("-82.38")), (dt.date(2026, 11, 24), D("-182.40")), (dt.date(2026, 11, 30), D("0.41")),
    ]


def test_a_midnight_east_of_greenwich_stays_on_its_day(tmp_path):
    text = (FIXTURES / "ofx1_checking.qfx").read_text(encoding="ascii")
    moved = tmp_path / "cet.qfx"
    moved.write_text(text.replace("<DTPOSTED>20261102120000[0:GMT]", "<DTPOSTED>20261102000000[+1:CET]"),
                     encoding="ascii")
    assert read_ofx(moved).lines[0].date == dt.date(2026, 11, 2)


def test_not_ofx_refused(tmp_path):
    bad = tmp_path / "bad.ofx"
    bad.write_text("OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BROKEN", encoding="ascii")
    with pytest.raises(Refused, match="not an OFX or QFX file"):
        read_ofx(bad)
