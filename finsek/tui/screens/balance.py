"""Enter a bank statement's closing balance (``b``), after seeing the difference from the books."""

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from finsek.core.errors import Refused
from finsek.core.money import format_amount
from finsek.ledger.entries import BalanceInput, Draft, build_balance, check_balance
from finsek.ledger.reconciled import reconciled_through
from finsek.tui.screens.base import FieldSpec, FormScreen
from finsek.tui.views.lookup import account_choices


class BalanceScreen(FormScreen):
    KIND = "balance"
    TITLE_TEXT = "Bank statement balance"
    INTRO = (
        "Type the closing date and closing balance printed on the statement. finsek compares it with "
        "the books before saving; a difference means something is missing or wrong."
    )
    FIRST_FOCUS = "date"
    ALIASES = {"statement balance": "amount"}  # noqa: RUF012

    def field_specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("date", "Statement date", "text", "closing date, YYYY-MM-DD", ""),
            FieldSpec("account", "Account", "picker", "", self.default_deposit()),
            FieldSpec("amount", "Closing balance", "money", "as on the statement"),
        ]

    def compose_side(self) -> ComposeResult:
        yield Static("", id="difference", classes="side-note")

    def choices_for(self, name: str):
        return account_choices(self.books, "Assets") if self.books is not None and name == "account" else []

    def balance_input(self, values: dict[str, str]) -> BalanceInput:
        return BalanceInput(date=values["date"], account=values["account"], amount=values["amount"])

    def after_validate(self) -> None:
        books = self.books
        if books is None:
            return
        values = self.values()
        note = self.query_one("#difference", Static)
        lines = []
        account = values["account"].strip()
        if account in books.accounts:  # the one meaning of reconciled (finsek.ledger.reconciled)
            today = self.app.today()
            state = reconciled_through(books, account, today, today=today)
            lines.append(state.words() + ".")
        try:
            found = check_balance(books, self.balance_input(values), today=self.app.today())
        except Refused:
            note.update(Content("\n".join([*lines, "Type the date and the balance to compare with the books."])))
            note.remove_class("-bad", "-good")
            return
        money = lambda amount: format_amount(amount, books.currency, books.locale)  # noqa: E731
        lines += [
            f"Books at the end of {found.statement_date}: {money(found.books)}",
            f"Statement says:          {money(found.statement)}",
            f"Difference:              {money(found.difference)}",
        ]
        if found.difference == 0:
            lines.append("The books agree with the statement: ctrl+s records it.")
        else:
            lines.append("Enter the missing items first (a bank fee? a deposit?), then the balance.")
        note.update(Content("\n".join(lines)))
        note.set_class(found.difference == 0, "-good")
        note.set_class(found.difference != 0, "-bad")

    def build(self, values: dict[str, str]) -> Draft:
        return build_balance(self.books, self.balance_input(values), today=self.app.today())
