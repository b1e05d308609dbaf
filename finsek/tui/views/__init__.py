"""What screens show, computed without Textual: the home summary, lookups, the journal index,
count sheets, report tables, the audit list, the header line."""
