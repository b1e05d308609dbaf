"""Outside formats turned into drafts the ledger can save: each format its own module."""
