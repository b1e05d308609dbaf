"""Record one gift (``g``): a mailed check, an online gift, a gift handed in."""

from textual.content import Content
from textual.widgets import Static

from finsek.ledger import conventions as conv
from finsek.ledger.entries import Draft, GiftInput, build_gift
from finsek.tui import bindings
from finsek.tui.screens.base import FieldSpec, FormScreen
from finsek.tui.screens.donor import NewDonorScreen
from finsek.tui.views.lookup import (
    account_choices,
    describe_donor,
    donor_choices,
    fund_choices,
    method_choices,
    resolve_donor,
    resolve_method,
)


class GiftScreen(FormScreen):
    BINDINGS = bindings.GIFT
    KIND = "gift"
    TITLE_TEXT = "Record a gift"
    INTRO = (
        "Donor: type a name, envelope number or id; ↓ and Enter pick from the list. "
        "Leave the donor empty for an anonymous gift; ctrl+n adds a new donor."
    )
    FIRST_FOCUS = "donor"
    ALIASES = {  # noqa: RUF012
        "income account": "account",
        "deposit account": "deposit_to",
        "goods and services value": "goods_services",
        "entered-by name": "memo",
    }

    def field_specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("date", "Date", "text", "YYYY-MM-DD, today or yesterday", "today"),
            FieldSpec("donor", "Donor", "picker", "name, envelope no. or id (empty: anonymous)"),
            FieldSpec("amount", "Amount", "money", "e.g. 100.00"),
            FieldSpec("fund", "Fund", "picker", f"empty: {self.app.default_fund()}"),
            FieldSpec("method", "Method", "picker", "check, cash, card, online…"),
            FieldSpec("check", "Check no.", "text", "if a check"),
            FieldSpec("account", "Income account", "picker", "empty: by fund"),
            FieldSpec("deposit_to", "Deposited to", "picker", "", self.default_deposit()),
            FieldSpec("memo", "Memo", "text", "optional note"),
            FieldSpec("goods_services", "Goods/services", "money", "value given back, if any"),
        ]

    def choices_for(self, name: str):
        books = self.books
        if books is None:
            return []
        if name == "donor":
            return donor_choices(books)
        if name == "fund":
            return fund_choices(books)
        if name == "method":
            return method_choices()
        if name == "account":
            return account_choices(books, "Income")
        if name == "deposit_to":
            return account_choices(books, "Assets")
        return []

    def field_changed(self, name: str, value: str) -> None:
        if name == "donor" and self.books is not None:
            hint = describe_donor(self.books, value)
            self.query_one("#hint-donor", Static).update(Content(hint), layout=False)

    def action_new_donor(self) -> None:
        typed = self.input("donor").value.strip()
        name = "" if not typed or typed.isdigit() or typed in (self.books.donors if self.books else ()) else typed

        def added(donor_id: str | None) -> None:
            if donor_id:
                self.input("donor").value = donor_id
                self.set_focus(self.input("amount"))

        self.app.push_screen(NewDonorScreen(name), added)

    def build(self, values: dict[str, str]) -> Draft:
        books = self.books
        method = resolve_method(values["method"], values["check"], default="check")
        return build_gift(
            books,
            GiftInput(
                date=values["date"],
                amount=values["amount"],
                donor=resolve_donor(books, values["donor"]),
                fund=values["fund"],
                method=method if method in conv.METHODS else values["method"],
                check=values["check"],
                account=values["account"],
                deposit_to=values["deposit_to"],
                memo=values["memo"],
                goods_services=values["goods_services"],
                entered_by=self.app.settings.entered_by,
            ),
            today=self.app.today(),
        )
