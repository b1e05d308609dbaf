"""Online giving: each giving platform's export read into one model of gifts, refunds and payouts.

``model`` is the one shape every platform's file becomes; ``table`` reads a
CSV export as its users download it (encoding, delimiter, amounts and dates
in the platform's own way); one module per platform knows its columns and
which rows are gifts, refunds and payouts; ``sources`` recognises the
platform from the header; ``donors`` finds the finsek donor of a platform
giver; ``booking`` turns the lines into entries for the batch save.
"""
