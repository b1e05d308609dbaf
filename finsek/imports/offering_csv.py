"""The offering's gifts from a CSV file: one row per envelope or check, as a spreadsheet saves it.

Columns (any order, any case): donor, amount, method, check, fund, account.
Only ``amount`` is required; a row with a check number and no method is a
check, else cash.
"""

import csv
from pathlib import Path

from finsek.core.errors import Refused
from finsek.ledger.entries import OfferingLine


def read_offering_csv(path: Path) -> list[OfferingLine]:
    allowed = {"donor", "amount", "method", "check", "fund", "account"}
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
