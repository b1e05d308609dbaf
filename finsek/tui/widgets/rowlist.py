"""A list of rows that draws only the lines on screen: 100,000 rows cost what 30 do.

``DataTable`` keeps a row object per row, so refilling it with every match
of a filter costs time in proportion to the matches. ``RowList`` holds the
caller's list as is and renders each visible line on demand (Textual's line
API), so a new filter result is shown in the time it takes to draw one
screen, under a line of column titles that stays put. Columns have a width;
those that ``grow`` share what is left of the line (the list scrolls
sideways only when even the widths do not fit); cells are plain text (never
markup), cut with an ellipsis when too long.
"""

from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from finsek.core.text import printable
from finsek.tui import bindings

GAP = 1


class RowColumn(NamedTuple):
    title: str
    #: the width, or for a growing column the least width
    width: int
    #: ``left`` or ``right``
    justify: str = "left"
    #: a growing column's share of the room left over (0: fixed width)
    grow: int = 0


def column_widths(columns: tuple[RowColumn, ...], width: int) -> tuple[int, ...]:
    """Each column's width on a line ``width`` cells wide (growing columns share the spare room)."""
    least = sum(column.width for column in columns) + GAP * (len(columns) - 1)
    spare = max(width - least, 0)
    shares = sum(column.grow for column in columns)
    if not shares or not spare:
        return tuple(column.width for column in columns)
    widths, given = [], 0
    for column in columns:
        extra = spare * column.grow // shares
        given += extra
        widths.append(column.width + extra)
    last_growing = max(index for index, column in enumerate(columns) if column.grow)
    widths[last_growing] += spare - given
    return tuple(widths)


def line_width(columns: tuple[RowColumn, ...], width: int) -> int:
    return sum(column_widths(columns, width)) + GAP * (len(columns) - 1)


def layout_line(cells, columns: tuple[RowColumn, ...], width: int) -> Text:
    """One line of ``cells`` under ``columns`` on a line ``width`` cells wide, each cell padded or cut."""
    pieces = []
    for cell, column, size in zip(cells, columns, column_widths(columns, width), strict=True):
        text = Text(printable(cell, newlines=False), no_wrap=True, end="")  # text from the books: escaped
        text.truncate(size, overflow="ellipsis")
        if column.justify == "right":
            text.pad_left(size - text.cell_len)
        else:
            text.pad_right(size - text.cell_len)
        pieces.append(text)
    return Text(" " * GAP, no_wrap=True, end="").join(pieces)


class RowList(ScrollView, can_focus=True):
    """Rows of text cells under a fixed line of column titles, with a cursor; only visible lines are drawn.

    ``cells(row)`` turns one of the caller's rows into its cell texts; it is
    called only for rows on screen. Enter (or a click on the cursor's row)
    posts ``RowList.Chosen``.
    """

    BINDINGS = bindings.ROW_LIST
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--header", "row-list--cursor", "row-list--even"}
    DEFAULT_CSS = """
    RowList { height: 1fr; padding: 0 1; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    RowList > .row-list--cursor { background: $block-cursor-blurred-background; }
    RowList:focus > .row-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                        text-style: bold; }
    RowList > .row-list--even { background: $surface-lighten-1 20%; }
    RowList > .row-list--header { text-style: bold; background: $panel; }
    """

    cursor = reactive(0, always_update=True, init=False)

    class Chosen(Message):
        """Enter (or a click) on a row."""

        def __init__(self, row_list: "RowList", index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> "RowList":
            return self.row_list

    def __init__(self, columns: tuple[RowColumn, ...], cells, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = columns
        self.cells = cells
        self.rows: list = []

    # -- the rows ----------------------------------------------------------------

    def show_rows(self, rows: list) -> None:
        """Show ``rows`` (kept by reference, never copied) with the cursor on the first."""
        self.rows = rows
        self._size_to_rows()
        self.scroll_to(0, 0, animate=False)
        self.cursor = 0
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def on_resize(self) -> None:
        self._size_to_rows()

    def _size_to_rows(self) -> None:
        """One line per row and one for the titles."""
        self.virtual_size = Size(line_width(self.columns, self.scrollable_content_region.width), len(self.rows) + 1)

    @property
    def rows_on_screen(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def watch_cursor(self, _old: int, new: int) -> None:
        clamped = min(max(new, 0), max(len(self.rows) - 1, 0))
        if clamped != new:
            self.cursor = clamped
            return
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top, height = self.scroll_offset.y, self.rows_on_screen
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move_cursor(self, row: int) -> None:
        self.cursor = row

    # -- keys and mouse ------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, step: int) -> None:
        """Move a screenful, the view with the cursor (it stays on the same line of the screen)."""
        page = step * self.rows_on_screen
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self.cursor += page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: Click) -> None:
        if event.y < 1:
            return
        index = self.scroll_offset.y + event.y - 1
        if not 0 <= index < len(self.rows):
            return
        if index == self.cursor:
            self.action_choose()
        else:
            self.cursor = index

    # -- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        full = line_width(self.columns, width)
        base = self.rich_style
        if y == 0:
            cells, style = [column.title for column in self.columns], base + self.get_component_rich_style(
                "row-list--header")
        else:
            index = self.scroll_offset.y + y - 1
            if not 0 <= index < len(self.rows):
                return Strip.blank(width, base)
            cells, style = self.cells(self.rows[index]), base
            if index == self.cursor:
                style = base + self.get_component_rich_style("row-list--cursor")
            elif index % 2:
                style = base + self.get_component_rich_style("row-list--even")
        line = layout_line(cells, self.columns, width)
        segments = list(Segment.apply_style(line.render(self.app.console), style))
        strip = Strip(segments).adjust_cell_length(max(width, full), style)
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()


__all__ = ["RowColumn", "RowList"]
