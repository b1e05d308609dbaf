"""Pay a bill (``p``): payee remembered from last time, next check number, receipt file."""

from textual.content import Content
from textual.widgets import Static

from finsek.core.money import format_amount, ledger_number
from finsek.ledger.entries import Draft, PaymentInput, build_payment
from finsek.tui.screens.base import FieldSpec, FormScreen
from finsek.tui.views.lookup import account_choices, fund_choices, payee_choices, payee_defaults
from finsek.tui.widgets import PickerInput


class PaymentScreen(FormScreen):
    KIND = "payment"
    TITLE_TEXT = "Pay a bill"
    INTRO = (
        "Choosing a payee you paid before fills in the account, fund and amount from last time. "
        "Receipt: type a file path, → completes it; the file is copied into documents/."
    )
    ASKS_OVERDRAFT = True
    FIRST_FOCUS = "payee"
    ALIASES = {  # noqa: RUF012
        "expense account": "account",
        "account paid from": "from_account",
        "approver's name": "approved_by",
        "entered-by name": "memo",
    }

    def __init__(self) -> None:
        super().__init__()
        self.filled: dict[str, str] = {}

    def field_specs(self) -> list[FieldSpec]:
        next_check = self.books.next_check_number(self.default_deposit()) if self.books else ""
        return [
            FieldSpec("date", "Date", "text", "YYYY-MM-DD, today or yesterday", "today"),
            FieldSpec("payee", "Payee", "picker", "who was paid"),
            FieldSpec("amount", "Amount", "money", "e.g. 182.40"),
            FieldSpec("account", "Expense account", "picker", "e.g. Expenses:Facilities:Utilities"),
            FieldSpec("fund", "Fund", "picker", f"empty: {self.app.default_fund()}"),
            FieldSpec("from_account", "Paid from", "picker", "", self.default_deposit()),
            FieldSpec("check", "Check no.", "text", "empty if not paid by check", next_check),
            FieldSpec("receipt", "Receipt file", "path", "path to the scanned receipt (optional)"),
            FieldSpec("approved_by", "Approved by", "text", "optional"),
            FieldSpec("memo", "Memo", "text", "what it was for, e.g. October electricity"),
        ]

    def choices_for(self, name: str):
        books = self.books
        if books is None:
            return []
        if name == "payee":
            return payee_choices(books)
        if name == "account":
            return account_choices(books, ("Expenses", "Liabilities", "Assets", "Equity"))
        if name == "fund":
            return fund_choices(books)
        if name == "from_account":
            return account_choices(books, ("Assets", "Liabilities"))
        return []

    def on_picker_input_picked(self, event: PickerInput.Picked) -> None:
        if event.picker.id == "f-payee":
            self.fill_from_payee(event.choice.value)

    def field_changed(self, name: str, value: str) -> None:
        books = self.books
        if books is None:
            return
        if name == "payee" and value.strip() in books.last_by_payee:
            self.fill_from_payee(value.strip())
        elif name == "from_account" and value.strip() in books.accounts:
            check = self.input("check")
            if check.value == self.filled.get("check", self.initial.get("check", "")):
                suggestion = books.next_check_number(value.strip())
                self.filled["check"] = suggestion
                check.value = suggestion
            self.query_one("#hint-check", Static).update(
                Content(f"next unused: {books.next_check_number(value.strip())}")
            )

    def fill_from_payee(self, payee: str) -> None:
        """Fill the fields still empty (or filled by us) from the last payment to ``payee``."""
        books = self.books
        defaults = payee_defaults(books, payee) if books else None
        hint = self.query_one("#hint-payee", Static)
        if defaults is None:
            hint.update("")
            return
        last = books.last_transaction(payee)
        amount = ledger_number(defaults.amount, books.currency) if defaults.amount is not None else ""
        hint.update(Content(f"last paid {last.date}: {format_amount(defaults.amount, books.currency, books.locale)}"))
        wanted = {"account": defaults.account, "fund": defaults.fund, "amount": amount}
        if defaults.from_account:
            wanted["from_account"] = defaults.from_account
        for name, value in wanted.items():
            widget = self.input(name)
            if widget.value.strip() in ("", self.filled.get(name, ""), self.initial.get(name, "")):
                self.filled[name] = value
                widget.value = value
        check = self.input("check")
        if not defaults.had_check and check.value == self.filled.get("check", self.initial.get("check", "")):
            self.filled["check"] = ""
            check.value = ""

    def build(self, values: dict[str, str]) -> Draft:
        return build_payment(
            self.books,
            PaymentInput(
                date=values["date"],
                payee=values["payee"],
                amount=values["amount"],
                account=values["account"],
                fund=values["fund"],
                from_account=values["from_account"],
                check=values["check"],
                receipt=values["receipt"],
                approved_by=values["approved_by"],
                overdraft_approved_by=self.overdraft_approver,
                memo=values["memo"],
                entered_by=self.app.settings.entered_by,
                receipt_max_mb=self.app.settings.receipt_max_mb,
            ),
            today=self.app.today(),
        )

    def after_save(self, result, message: str) -> None:
        self.filled.clear()
        super().after_save(result, message)
        books = self.books
        if books is not None:
            check = self.input("check")
            check.value = books.next_check_number(self.input("from_account").value.strip() or self.default_deposit())
            self.initial["check"] = check.value
            self.query_one("#hint-payee", Static).update("")
