"""In a browser (``finsek serve``) ctrl+n, ctrl+l and others belong to the browser: each has an F-key too."""

from textual.binding import Binding

from finsek.tui import bindings


def all_bindings() -> list[Binding]:
    return [item for value in vars(bindings).values() if isinstance(value, list)
            for item in value if isinstance(item, Binding)]


def test_every_ctrl_binding_has_a_key_a_browser_leaves_alone():
    lacking = []
    for binding in all_bindings():
        keys = [key.strip() for key in binding.key.split(",")]
        if binding.id != "quit" and all(key.startswith("ctrl+") for key in keys):
            lacking.append(f"{binding.id} ({binding.key})")
    assert lacking == []
    assert len(all_bindings()) > 30
