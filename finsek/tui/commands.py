"""The command palette (ctrl+p): every finsek action, searchable by name."""

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from finsek.tui.screens import SCREENS


def finsek_commands(app, screen) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, callback) for every action: opening each screen of ``SCREENS``, then the app's own; form and
    journal actions only on their screens."""
    commands = [(entry.command_name, entry.help, partial(app.action_open, entry.id)) for entry in SCREENS]
    commands += [
        ("Undo the last entry saved", "Take back the last entry saved in this session (u)", app.action_undo),
        ("Reload the ledger", "Read the files again from disk (shift+r on the home screen)", app.action_reload),
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
