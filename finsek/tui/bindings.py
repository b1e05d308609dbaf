"""Every key binding of the app, each with an id the user can remap.

Remap keys in the settings file (``finsek/config.toml``) by binding id, as
posting does::

    [keymap]
    gift = "f2"
    offering = "f3"
    save = "ctrl+s,f10"

``?`` (or F1 where a text field has the focus) lists the keys of the current
screen with their ids. Nothing essential is bound to ctrl+enter, which many
terminals cannot send, and every ctrl key has an F-key beside it (ctrl+s or
F2 saves, ctrl+n or F3 adds), because a browser keeps ctrl+n, ctrl+l and
others for itself when finsek runs in one (``finsek serve``).
"""

from textual.binding import Binding


def _b(key: str, action: str, description: str, binding_id: str, *, show: bool = True, **extra) -> Binding:
    return Binding(key, action, description, show=show, id=binding_id, **extra)


APP = [
    _b("f1,question_mark", "help", "Help", "help", key_display="?/f1"),
    _b("ctrl+q", "quit", "Quit", "quit", show=False, priority=True),
]

HOME = [
    _b("g", "app.open('gift')", "Gift", "gift"),
    _b("o", "app.open('offering')", "Offering", "offering"),
    _b("p", "app.open('payment')", "Payment", "payment"),
    _b("t", "app.open('transfer')", "Transfer", "transfer"),
    _b("b", "app.open('balance')", "Balance", "balance"),
    _b("j", "app.open('journal')", "Journal", "journal"),
    # shown with their keys in the home screen's action lines (the footer keeps room for Quit at 120 columns)
    _b("r", "app.open('reports')", "Board report", "reports", show=False),
    _b("a", "app.open('audit')", "Audit", "audit", show=False),
    _b("d", "app.open('donors')", "Donors", "donors", show=False),
    _b("i", "app.open('online')", "Online giving", "online", show=False),
    _b("B", "app.open('budget')", "Budget", "budget", show=False, key_display="shift+b"),
    _b("u", "app.undo", "Undo", "undo"),
    _b("e", "app.open('errors')", "Problems", "errors", show=False),
    _b("R", "app.reload", "Reload the ledger from disk", "reload", show=False, key_display="shift+r"),
    _b("q", "app.quit", "Quit", "quit_home"),
]

#: Tab and Enter are priority bindings on forms: they move the focus at once, so keys typed
#: right after them (a fast typist, a paste, tmux send-keys) land in the next field.
FORM = [
    _b("ctrl+s,f2", "save", "Save", "save", priority=True),
    _b("escape", "cancel", "Cancel", "cancel"),
    _b("enter", "enter", "Next field (or pick the match)", "next_field_enter", show=False, priority=True),
    _b("tab", "next_field", "Next field", "next_field", show=False, priority=True),
    _b("shift+tab", "previous_field", "Previous field", "previous_field", show=False, priority=True),
]

OFFERING = [
    *FORM,
    _b("ctrl+n,f3", "add_row", "New line", "offering_add_row"),
    _b("ctrl+l,f4", "clear_row", "Clear line", "offering_clear_row"),
]

JOURNAL = [
    _b("enter", "show_entry", "Show entry", "journal_show"),
    _b("r", "reverse", "Reverse", "journal_reverse"),
    _b("slash", "focus_filter", "Filter", "journal_filter", key_display="/"),
    _b("escape", "back", "Back", "journal_back"),
]

GIFT = [
    *FORM,
    _b("ctrl+n,f3", "new_donor", "New donor", "gift_new_donor"),
]

NEW_DONOR = [
    _b("ctrl+s,f2", "add", "Add donor", "new_donor_add", priority=True),
    _b("escape", "cancel", "Cancel", "new_donor_cancel"),
]

REPORTS = [
    _b("p", "step_month(-1)", "Previous month", "report_previous"),
    _b("n", "step_month(1)", "Next month", "report_next"),
    _b("m", "focus_month", "Month…", "report_month"),
    _b("x", "export", "Export", "report_export"),
    _b("o", "open_file", "Open PDF/HTML", "report_open"),
    _b("escape", "back", "Back", "report_back"),
]

BUDGET = [
    _b("enter,e", "edit", "Change amount", "budget_edit"),
    _b("v", "toggle_view", "Month/year", "budget_view"),
    _b("p", "step(-1)", "Before", "budget_previous"),
    _b("n", "step(1)", "After", "budget_next"),
    _b("f", "next_fund", "Fund", "budget_fund"),
    _b("escape", "back", "Back", "budget_back"),
]

GIVING_IMPORT = [
    _b("ctrl+s,f2", "book", "Book", "giving_import_book", priority=True),
    _b("d", "ask_donor", "Donor for the line", "giving_import_donor"),
    _b("f", "ask_fund", "Fund for the line", "giving_import_fund"),
    _b("escape", "cancel_ask", "Back", "giving_import_back"),
]

AUDIT = [
    _b("enter", "show_finding", "Go to the entry", "audit_show"),
    _b("e", "toggle('error')", "Errors", "audit_errors"),
    _b("w", "toggle('warning')", "Warnings", "audit_warnings"),
    _b("n", "toggle('note')", "Notes", "audit_notes"),
    _b("c", "close_books", "Close a month", "audit_close"),
    _b("slash", "focus_filter", "Filter", "audit_filter", key_display="/"),
    _b("R", "rerun", "Audit again", "audit_rerun", show=False, key_display="shift+r"),
    _b("escape", "back", "Back", "audit_back"),
]

CLOSE = [
    _b("y,ctrl+s,f2", "close_books", "Close the books", "close_yes"),
    _b("escape,n", "cancel", "Cancel", "close_cancel"),
]

DONORS = [
    _b("slash", "focus_search", "Search", "donors_search", key_display="/"),
    _b("enter", "focus_list", "To the list", "donors_list", show=False),
    _b("a", "add", "Add", "donors_add"),
    _b("e", "edit", "Edit", "donors_edit"),
    _b("m", "merge", "Merge", "donors_merge"),
    _b("escape", "back", "Back", "donors_back"),
]

DONOR_FORM = [
    _b("ctrl+s,f2", "save", "Save", "donor_form_save", priority=True),
    _b("escape", "cancel", "Cancel", "donor_form_cancel"),
]

MERGE = [
    _b("ctrl+s,f2", "check", "Merge…", "merge_check", priority=True),
    _b("escape", "cancel", "Cancel", "merge_cancel"),
]

ERRORS = [
    _b("escape,q", "app.pop_screen", "Back", "errors_back"),
]

HELP = [
    _b("escape,f1,question_mark,q", "dismiss_help", "Close", "help_close"),
]

TEXT = [
    _b("escape,q", "dismiss_text", "Close", "text_close"),
]

ENTRY = [
    _b("r", "reverse", "Reverse this entry", "entry_reverse"),
    _b("escape", "dismiss_screen", "Close", "entry_close"),
]

CONFIRM = [
    _b("y", "answer(True)", "Yes", "confirm_yes"),
    _b("n", "answer(False)", "No", "confirm_no"),
    _b("escape", "answer(False)", "No", "confirm_escape", show=False),
]

PICKER = [
    Binding("down", "pick_move(1)", "Next match", show=False, id="picker_down"),
    Binding("up", "pick_move(-1)", "Previous match", show=False, id="picker_up"),
    Binding("escape", "pick_close", "Close the list", show=False, id="picker_close"),
]

GRID = [
    Binding("down", "grid_move(1)", "Line below", show=False, id="grid_down"),
    Binding("up", "grid_move(-1)", "Line above", show=False, id="grid_up"),
]

#: Any list of rows drawn line by line (the journal).
ROW_LIST = [
    Binding("up", "cursor(-1)", "Up", show=False, id="rows_up"),
    Binding("down", "cursor(1)", "Down", show=False, id="rows_down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="rows_page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="rows_page_down"),
    Binding("home", "first", "First", show=False, id="rows_first"),
    Binding("end", "last", "Last", show=False, id="rows_last"),
    Binding("enter", "choose", "Show", show=False, id="rows_choose"),
]

ALL = [
    *APP, *HOME, *FORM, *GIFT, *NEW_DONOR, *OFFERING, *JOURNAL, *REPORTS, *BUDGET, *GIVING_IMPORT, *AUDIT, *CLOSE,
    *DONORS, *DONOR_FORM, *MERGE, *ERRORS, *HELP, *TEXT, *ENTRY, *CONFIRM, *PICKER, *GRID, *ROW_LIST,
]


def known_ids() -> set[str]:
    return {binding.id for binding in ALL if binding.id}


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """Plain-language warnings for keymap entries finsek does not know."""
    known = known_ids()
    return [
        f"The keymap in the settings names '{name}', which is not a finsek key: "
        f"the ids are listed in the help screen (?)."
        for name in keymap
        if name not in known
    ]
