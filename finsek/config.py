"""Settings: one typed object, read from one TOML file.

The file lives in the platform's config folder (``finsek/config.toml``);
``FINSEK_CONFIG`` points elsewhere. Example::

    ledger = "~/church/books/main.beancount"
    git_autocommit = true
    entered_by = "Anna Svensson"
    negatives = "parentheses"          # or "minus": negative amounts in printed reports

    trusted_ledgers = ["~/church/books"]   # folders whose own plugins may run

    [keymap]
    gift = "f2"
    offering = "f3"
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from finsek.core.errors import Refused
from finsek.ledger.trust import trust

KNOWN_KEYS = {"ledger", "locale", "git_autocommit", "entered_by", "keymap", "theme", "reports_dir", "receipt_max_mb",
              "negatives", "trusted_ledgers", "bank_profiles"}
#: How printed reports (PDF, HTML, XLSX) show a negative amount: "(1,234.50)" or "-1,234.50".
NEGATIVES = ("parentheses", "minus")

#: The largest receipt file finsek copies into documents/, in MB, unless the settings say otherwise.
RECEIPT_MAX_MB = 50


@dataclass(frozen=True)
class Settings:
    ledger: Path | None = None
    locale: str | None = None
    git_autocommit: bool = False
    entered_by: str = ""
    theme: str = ""
    reports_dir: Path | None = None
    receipt_max_mb: float = RECEIPT_MAX_MB
    negatives: str = "parentheses"
    keymap: dict[str, str] = field(default_factory=dict)
    trusted_ledgers: tuple[Path, ...] = ()
    #: Bank CSV layouts described by the user, ``[bank_profiles.NAME]`` tables (finsek.imports.bank_csv reads them).
    bank_profiles: dict[str, dict] = field(default_factory=dict)
    source: Path | None = None
    warnings: tuple[str, ...] = ()

    def reports_folder(self, out: str | Path | None = None) -> Path:
        """Where reports are written: ``out`` when given, else the reports_dir setting, else ./reports."""
        if out:
            return Path(out).expanduser()
        return Path(self.reports_dir).expanduser() if self.reports_dir else Path.cwd() / "reports"


def config_path() -> Path:
    override = os.environ.get("FINSEK_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("finsek", appauthor=False)) / "config.toml"


def data_dir() -> Path:
    override = os.environ.get("FINSEK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("finsek", appauthor=False))


def _expect(value, kind, key: str, path: Path):
    if not isinstance(value, kind):
        wanted = {bool: "true or false", str: "a quoted text", dict: "a [table]"}.get(kind, kind.__name__)
        raise Refused(f"In {path}, '{key}' should be {wanted}: fix that line and start finsek again.")
    return value


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file gives the defaults."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(source=None)
    except tomllib.TOMLDecodeError as error:
        raise Refused(f"The settings file {path} is not valid TOML ({error}): fix it or move it away.") from None
    warnings = tuple(f"Unknown setting '{key}' in {path} is ignored." for key in raw if key not in KNOWN_KEYS)
    values: dict = {"source": path, "warnings": warnings}
    if "ledger" in raw:
        values["ledger"] = Path(_expect(raw["ledger"], str, "ledger", path)).expanduser()
    if "reports_dir" in raw:
        values["reports_dir"] = Path(_expect(raw["reports_dir"], str, "reports_dir", path)).expanduser()
    for key in ("locale", "entered_by", "theme"):
        if key in raw:
            values[key] = _expect(raw[key], str, key, path)
    if "receipt_max_mb" in raw:
        limit = raw["receipt_max_mb"]
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= 1_000_000:
            raise Refused(f"In {path}, 'receipt_max_mb' should be a number of MB above 0, such as 50: "
                          "fix that line and start finsek again.")
        values["receipt_max_mb"] = float(limit)
    if "negatives" in raw:
        if raw["negatives"] not in NEGATIVES:
            raise Refused(f"In {path}, 'negatives' should be \"parentheses\" or \"minus\": fix that line and start "
                          "finsek again.")
        values["negatives"] = raw["negatives"]
    if "git_autocommit" in raw:
        values["git_autocommit"] = _expect(raw["git_autocommit"], bool, "git_autocommit", path)
    if "keymap" in raw:
        keymap = _expect(raw["keymap"], dict, "keymap", path)
        values["keymap"] = {str(k): _expect(v, str, f"keymap.{k}", path) for k, v in keymap.items()}
    if "trusted_ledgers" in raw:
        folders = raw["trusted_ledgers"]
        if not isinstance(folders, list) or not all(isinstance(folder, str) for folder in folders):
            raise Refused(f"In {path}, 'trusted_ledgers' should be a list of folders, such as "
                          '["~/church/books"]: fix that line and start finsek again.')
        values["trusted_ledgers"] = tuple(Path(folder).expanduser() for folder in folders)
        trust(values["trusted_ledgers"])  # for every ledger this process opens (finsek.ledger.trust)
    if "bank_profiles" in raw:
        profiles = _expect(raw["bank_profiles"], dict, "bank_profiles", path)
        values["bank_profiles"] = {str(name): dict(_expect(table, dict, f"bank_profiles.{name}", path))
                                   for name, table in profiles.items()}
    return Settings(**values)


def demo_ledger_path() -> Path:
    return data_dir() / "demo" / "main.beancount"


def resolve_ledger(cli_value: str | None, settings: Settings) -> tuple[Path, bool]:
    """The ledger to open and whether it is the built-in demo.

    ``--ledger`` wins, then ``FINSEK_LEDGER``, then the settings file, then
    the demo ledger in the user's data folder (generated on first use).
    """
    for candidate in (cli_value, os.environ.get("FINSEK_LEDGER"), settings.ledger):
        if candidate:
            path = Path(candidate).expanduser()
            if path.is_dir():
                path = path / "main.beancount"
            if not path.exists():
                raise Refused(
                    f"There is no ledger at {path}: check the path, or create one with 'finsek init {path.parent}'."
                )
            return path, False
    return demo_ledger_path(), True
