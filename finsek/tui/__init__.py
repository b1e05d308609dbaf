"""The terminal app (Textual): the treasurer's desk over the ledger layer.

``finsek.tui.app.run_app`` is what the ``finsek`` command starts. Every save
goes through ``finsek.ledger.writer.Ledger.save``; nothing here writes the
ledger files any other way.
"""
