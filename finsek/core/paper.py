"""Which paper a printed page is made for: Letter in the United States and Canada, A4 everywhere else."""


def default_paper(locale: str) -> str:
    """``letter`` for a US or Canadian locale (``en_US``, ``es_US``, ``en_CA``, ``fr_CA``), else ``a4``."""
    return "letter" if (locale or "en_US").endswith(("_US", "_CA")) else "a4"
