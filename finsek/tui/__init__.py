"""finsek.tui"""
