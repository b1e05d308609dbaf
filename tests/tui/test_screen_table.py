"""The one table of screens (finsek.tui.screens.SCREENS) and the audit screen's list, without running the app."""

import re

from finsek.ledger.books import load_books
from finsek.tui import bindings
from finsek.tui.screens import SCREENS, screen_class, title_of
from finsek.tui.views.audit_list import arrange, audit_books

from .conftest import TODAY


def test_every_screen_in_the_table_opens_and_every_open_key_names_one():
    ids = [entry.id for entry in SCREENS]
    assert len(ids) == len(set(ids))
    for entry in SCREENS:
        cls = screen_class(entry.id)
        assert cls.__name__ == entry.class_name
        assert title_of(cls.__new__(cls)) == entry.title
    opened = {match[1] for binding in bindings.ALL for match in [re.fullmatch(r"app\.open\('(\w+)'\)", binding.action)]
              if match}
    assert opened <= set(ids)


def test_the_audit_is_arranged_by_severity_in_report_order(ledger_path):
    books = load_books(ledger_path)
    audited = audit_books(books, TODAY, elsewhere=False)
    assert set(audited.arranged) == {"error", "warning", "note"} and audited.result.findings
    listed = [finding for name in ("error", "warning", "note") for finding, _where, _text in audited.arranged[name]]
    assert sorted(listed, key=lambda finding: finding.sort_key()) == sorted(
        audited.result.findings, key=lambda finding: finding.sort_key())
    assert arrange(audited.result) == audited.arranged
