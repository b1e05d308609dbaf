"""The base classes of finsek's screens: to a type checker, their ``app`` is a ``FinsekApp``.

Textual types ``self.app`` as any ``App``, so ``self.app.books`` or
``self.app.save_draft(...)`` on a plain ``Screen`` are unchecked. Every screen
in ``finsek.tui.screens`` derives from ``FinsekScreen`` or
``FinsekModalScreen`` instead, which declare ``app`` with Textual's own
``getters.app(FinsekApp)``. The declaration is for the type checker only:
``finsek.tui.app`` imports the screens, so they import it only under
``TYPE_CHECKING``, and at run time ``self.app`` is Textual's (the same
object). A widget that reaches the app makes the same declaration in its
class body.
"""

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from finsek.tui.app import FinsekApp

ResultType = TypeVar("ResultType")


class FinsekScreen(Screen[ResultType]):
    """A screen of the finsek app."""

    if TYPE_CHECKING:
        app = getters.app(FinsekApp)


class FinsekModalScreen(ModalScreen[ResultType]):
    """A modal screen of the finsek app (a question, a small form), dismissed with a ``ResultType``."""

    if TYPE_CHECKING:
        app = getters.app(FinsekApp)
