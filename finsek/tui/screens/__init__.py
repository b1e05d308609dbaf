"""The app's screens: home, the entry forms, the journal, and small modal screens.

``SCREENS`` is the one table of the screens the app opens by name
(``app.open('gift')``, the home screen's keys, the command palette): a new
screen is one module here and one row in it (and a key in
``finsek.tui.bindings.HOME`` if it has one). ``screen_class`` imports a screen's
module when it is first opened: the app itself imports only the home screen
(shown at start), the form base and the small modal screens.
"""

import importlib
from typing import NamedTuple


class ScreenEntry(NamedTuple):
    """A screen the app opens by name: ``id`` is the name and the binding id of its key."""

    id: str
    module: str  # in finsek.tui.screens
    class_name: str
    title: str  # the help screen's heading
    help: str  # the command palette's help
    command: str = ""  # the command palette's name, when it is not the title
    needs_books: bool = True  # False: it opens while the books load (or could not be loaded)

    @property
    def command_name(self) -> str:
        return self.command or self.title

    def screen_class(self):
        return getattr(importlib.import_module(f"finsek.tui.screens.{self.module}"), self.class_name)


#: The screens the app opens by name, in the command palette's order.
SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("gift", "gift", "GiftScreen", "Record a gift",
                "A mailed check, an online gift, a gift handed in (g on the home screen)"),
    ScreenEntry("offering", "offering", "OfferingScreen", "Count the offering",
                "Two counters, the counted total, one line per gift (o)", command="Count an offering"),
    ScreenEntry("payment", "payment", "PaymentScreen", "Pay a bill", "A payment with its check number and receipt (p)"),
    ScreenEntry("transfer", "transfer", "TransferScreen", "Transfer between funds",
                "A board decision to move money between funds (t)"),
    ScreenEntry("balance", "balance", "BalanceScreen", "Bank statement balance",
                "Compare the statement with the books and record it (b)", command="Enter a bank statement balance"),
    ScreenEntry("journal", "journal", "JournalScreen", "Journal", "Find, show and reverse entries (j)"),
    ScreenEntry("reports", "reports", "ReportsScreen", "Board report",
                "The monthly board report: read it, export it, open the PDF (r)"),
    ScreenEntry("budget", "budget", "BudgetScreen", "Budget",
                "Budget lines by fund and account, month or year, last year's actual; change an amount (B)"),
    ScreenEntry("online", "online", "GivingImportScreen", "Online giving",
                "Book a PayPal, Stripe, Tithe.ly, Planning Center, Vanco or Swish export (i)",
                command="Import online giving"),
    ScreenEntry("audit", "audit", "AuditScreen", "Audit", "What an auditor would question; close a month (a)"),
    ScreenEntry("donors", "donors", "DonorsScreen", "Donors",
                "Search donors, their giving and pledges; add, edit, merge (d)"),
    ScreenEntry("errors", "home", "ErrorsScreen", "Problems in the ledger",
                "What the ledger's checks found while loading (e)", needs_books=False),
    ScreenEntry("home", "home", "HomeScreen", "Home", "Fund balances, this month, banks, recent entries",
                needs_books=False),
)
BY_ID = {entry.id: entry for entry in SCREENS}


def screen_class(screen_id: str):
    """The screen class for ``screen_id``, importing only its module."""
    return BY_ID[screen_id].screen_class()


def title_of(screen) -> str:
    """The help screen's heading for ``screen``: its title in ``SCREENS``, else its class name's stem."""
    name = type(screen).__name__
    for entry in SCREENS:
        if entry.class_name == name:
            return entry.title
    return name.removesuffix("Screen").lower()
