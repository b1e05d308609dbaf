"""Placeholder until the real plugin lands."""

__plugins__ = ("validate",)


def validate(entries, options_map, config=None):
    return entries, []
