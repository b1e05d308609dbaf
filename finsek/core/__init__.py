"""Plain domain helpers: money, dates, text and errors. No I/O, no UI."""
