"""Reusable widgets: money and path inputs, pickers with a dropdown, the entry preview, status lines."""

from finsek.tui.widgets.header import LedgerHeader
from finsek.tui.widgets.inputs import Dropdown, MoneyInput, PathSuggester, PickerInput
from finsek.tui.widgets.preview import Preview
from finsek.tui.widgets.status import StatusLine

__all__ = ["Dropdown", "LedgerHeader", "MoneyInput", "PathSuggester", "PickerInput", "Preview", "StatusLine"]
