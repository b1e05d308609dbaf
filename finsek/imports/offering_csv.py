"""The offering's gifts from a CSV file: one row per envelope or check, as a spreadsheet saves it.

Columns (any order, any case): donor, amount, method, check, fund, account.
Only ``amount`` is required; a row with a check number and no method is a
check, else cash.
"""

import csv
import stat
from pathlib import Path

from finsek.core.errors import Refused
from finsek.ledger.entries import OfferingLine

#: The largest gifts CSV finsek reads (a Sunday's gifts are a few kilobytes).
MAX_BYTES = 10 * 1024 * 1024


def read_offering_csv(path: Path) -> list[OfferingLine]:
    allowed = {"donor", "amount", "method", "check", "fund", "account"}
    _check_file(Path(path))
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = {name.strip().lower() for name in (reader.fieldnames or [])}
            if "amount" not in columns:
                raise Refused(f"{path} has no 'amount' column: the columns are donor,amount,method,check,fund,account.")
            unknown = columns - allowed
            if unknown:
                raise Refused(
                    f"{path} has unknown column(s) {', '.join(sorted(unknown))}: "
                    "use donor,amount,method,check,fund,account."
                )
            lines = []
            for row in reader:
                values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
                if not any(values.values()):
                    continue
                lines.append(OfferingLine(
                    amount=values.get("amount", ""), donor=values.get("donor", ""),
                    method=values.get("method", "") or ("check" if values.get("check") else "cash"),
                    check=values.get("check", ""), fund=values.get("fund", ""), account=values.get("account", ""),
                ))
            return lines
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the gifts CSV.") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a folder, not a file: give the gifts CSV file itself.") from None
    except OSError as error:
        raise Refused(f"finsek could not read {path} ({error.strerror or error}): check the gifts CSV.") from None
    except UnicodeDecodeError:
        raise Refused(f"{path} is not a UTF-8 text file: save it from your spreadsheet as CSV UTF-8.") from None
    except csv.Error as error:
        raise Refused(f"{path} is not a readable CSV file ({error}).") from None


def _check_file(path: Path) -> None:
    """Refuse what is not a gifts CSV before reading it: a folder, a device or pipe (which could be read
    forever), a file larger than ``MAX_BYTES``."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise Refused(f"There is no file {path}: check the name of the gifts CSV.") from None
    except OSError as error:
        raise Refused(f"finsek could not read {path} ({error.strerror or error}): check the gifts CSV.") from None
    if stat.S_ISDIR(status.st_mode):
        raise Refused(f"{path} is a folder, not a file: give the gifts CSV file itself.")
    if not stat.S_ISREG(status.st_mode):
        raise Refused(f"{path} is not a regular file (a device or a pipe): save the gifts as a CSV file and give that.")
    if status.st_size > MAX_BYTES:
        raise Refused(f"{path} is {status.st_size // (1024 * 1024)} MB, too large for one offering's gifts "
                      f"(at most {MAX_BYTES // (1024 * 1024)} MB): check that it is the right file.")
