"""The command line: one parser (``main``), one way to open a ledger and report a refusal
(``common``), one module per family of commands."""
