"""Move money between funds (``t``): no cash moves, only the funds' shares of it."""

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from finsek.core.money import format_amount
from finsek.ledger.entries import Draft, TransferInput, build_transfer
from finsek.tui.screens.base import FieldSpec, FormScreen
from finsek.tui.views.lookup import fund_choices


class TransferScreen(FormScreen):
    KIND = "transfer"
    TITLE_TEXT = "Transfer between funds"
    INTRO = "A board decision to move money from one fund to another. No money leaves the bank."
    ASKS_OVERDRAFT = True
    FIRST_FOCUS = "amount"
    ALIASES = {"approver's name": "approved_by"}  # noqa: RUF012

    def field_specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("date", "Date", "text", "YYYY-MM-DD, today or yesterday", "today"),
            FieldSpec("amount", "Amount", "money", "e.g. 500.00"),
            FieldSpec("from_fund", "From fund", "picker", f"empty: {self.app.default_fund()}"),
            FieldSpec("to_fund", "To fund", "picker", "e.g. building"),
            FieldSpec("approved_by", "Approved by", "text", "optional, e.g. the board, 2026-05-01"),
            FieldSpec("memo", "Memo", "text", "optional"),
        ]

    def compose_side(self) -> ComposeResult:
        yield Static("", id="fund-balances", classes="side-note")

    def choices_for(self, name: str):
        return fund_choices(self.books) if self.books is not None and name in ("from_fund", "to_fund") else []

    def after_validate(self) -> None:
        books = self.books
        if books is None:
            return
        lines = ["Fund balances now:"]
        for name, balance in books.fund_balances().items():
            lines.append(f"  {name:<14} {format_amount(balance, books.currency, books.locale):>18}")
        self.query_one("#fund-balances", Static).update(Content("\n".join(lines)))

    def build(self, values: dict[str, str]) -> Draft:
        return build_transfer(
            self.books,
            TransferInput(
                date=values["date"],
                amount=values["amount"],
                from_fund=values["from_fund"],
                to_fund=values["to_fund"],
                memo=values["memo"],
                approved_by=values["approved_by"],
                overdraft_approved_by=self.overdraft_approver,
            ),
            today=self.app.today(),
        )
