"""The app's screens: home, the entry forms, the journal, and small modal screens."""
