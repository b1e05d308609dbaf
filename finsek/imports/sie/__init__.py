"""SIE 4: the Swedish interchange format for bookkeeping (SIE-Gruppen, format 4B).

Every Swedish accounting program and auditor reads it. ``fields`` reads and
writes one line; ``reader`` turns a file into a ``model.SieFile`` with the
problems it found; ``writer`` turns a model back into PC8 bytes; ``bas``
holds the account numbers; ``export`` builds a model from the books and
``into`` makes a new finsek ledger from one.
"""
