"""The command palette (ctrl+p): every finsek action, searchable by name."""

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


def finsek_commands(app, screen) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, callback) for every action; form and journal actions only on their screens."""
    commands = [
        ("Record a gift", "A mailed check, an online gift, a gift handed in (g on the home screen)",
         partial(app.action_open, "gift")),
        ("Count an offering", "Two counters, the counted total, one line per gift (o)",
         partial(app.action_open, "offering")),
        ("Pay a bill", "A payment with its check number and receipt (p)", partial(app.action_open, "payment")),
        ("Transfer between funds", "A board decision to move money between funds (t)",
         partial(app.action_open, "transfer")),
        ("Enter a bank statement balance", "Compare the statement with the books and record it (b)",
         partial(app.action_open, "balance")),
        ("Journal", "Find, show and reverse entries (j)", partial(app.action_open, "journal")),
        ("Board report", "The monthly board report: read it, export it, open the PDF (r)",
         partial(app.action_open, "reports")),
        ("Audit", "What an auditor would question; close a month (a)", partial(app.action_open, "audit")),
        ("Donors", "Search donors, their giving and pledges; add, edit, merge (d)",
         partial(app.action_open, "donors")),
        ("Undo the last entry saved", "Take back the last entry saved in this session (u)", app.action_undo),
        ("Problems in the ledger", "What the ledger's checks found while loading (e)",
         partial(app.action_open, "errors")),
        ("Reload the ledger", "Read the files again from disk (shift+r on the home screen)", app.action_reload),
        ("Home", "Fund balances, this month, banks, recent entries", app.action_home),
        ("Help", "Every key on this screen (? or F1)", app.action_help),
        ("Light theme", "Switch to a light colour theme", partial(app.action_set_theme, "textual-light")),
        ("Dark theme", "Switch to a dark colour theme", partial(app.action_set_theme, "textual-dark")),
        ("Quit finsek", "Leave the app (q on the home screen, ctrl+q anywhere)", app.action_quit),
    ]
    if hasattr(screen, "action_save"):
        commands.insert(0, ("Save this entry", "Append it to the ledger (ctrl+s)", screen.action_save))
        commands.insert(1, ("Cancel this entry", "Leave the form (escape)", screen.action_cancel))
    if hasattr(screen, "action_add_row"):
        commands.insert(2, ("New gift line", "Add a line to the offering (ctrl+n)", screen.action_add_row))
    if hasattr(screen, "action_reverse") and hasattr(screen, "selected"):
        commands.insert(0, ("Reverse the selected entry", "Write a new entry that cancels it (r)",
                            screen.action_reverse))
        commands.insert(1, ("Show the selected entry", "Its Beancount text, file and line (Enter)",
                            screen.action_show_entry))
    commands[0:0] = screen_commands(screen)
    return commands


def screen_commands(screen) -> list[tuple[str, str, Callable[[], object]]]:
    """The actions of the report, audit and donors screens, offered first while they are open."""
    kind = type(screen).__name__
    if kind == "ReportsScreen":
        return [
            ("Export the report", "PDF, HTML, XLSX, Markdown or JSON into the reports folder (x)",
             screen.action_export),
            ("Open the report's PDF or HTML", "With the system's viewer (o)", screen.action_open_file),
            ("Previous month's report", "(p)", partial(screen.action_step_month, -1)),
            ("Next month's report", "(n)", partial(screen.action_step_month, 1)),
            ("Report for another month", "Type the month, YYYY-MM (m)", screen.action_focus_month),
        ]
    if kind == "AuditScreen":
        return [
            ("Close the books through a month end", "After an audit without errors (c)", screen.action_close_books),
            ("Go to the finding's entry", "Open it in the journal (Enter)", screen.action_show_finding),
            ("Show or hide errors", "(e)", partial(screen.action_toggle, "error")),
            ("Show or hide warnings", "(w)", partial(screen.action_toggle, "warning")),
            ("Show or hide notes", "(n)", partial(screen.action_toggle, "note")),
            ("Filter the findings", "By words, file or date (/)", screen.action_focus_filter),
            ("Audit again", "Run every check again (shift+r)", screen.action_rerun),
        ]
    if kind == "DonorsScreen":
        return [
            ("Add a donor", "A new row in donors.csv (a)", screen.action_add),
            ("Edit the selected donor", "Name, household, address, e-mail, envelope (e)", screen.action_edit),
            ("Merge the selected donor into another", "When it is a duplicate; the ledger is not changed (m)",
             screen.action_merge),
            ("Search donors", "(/)", screen.action_focus_search),
        ]
    return []


class FinsekCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, callback in finsek_commands(self.app, self.screen):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in finsek_commands(self.app, self.screen):
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
