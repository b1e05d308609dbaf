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
        ("Undo the last entry saved", "Take back the last entry saved in this session (u)", app.action_undo),
        ("Problems in the ledger", "What the ledger's checks found while loading (e)",
         partial(app.action_open, "errors")),
        ("Reload the ledger", "Read the files again from disk (r)", app.action_reload),
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
    return commands


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
