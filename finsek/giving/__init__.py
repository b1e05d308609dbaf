"""Giving: pledges, donors' yearly statements, donor history and the reports about giving, with their rendering."""
