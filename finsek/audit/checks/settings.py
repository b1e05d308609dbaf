"""The audit's thresholds, read from the ledger's ``custom "finsek"`` lines.

Every setting has a default that suits a congregation of a few hundred
members; a ledger changes one with a line in accounts.beancount, like the
ledger's other settings (docs/audit.md lists them all)::

    2026-01-01 custom "finsek" "approval-threshold" 500.00 USD
    2026-01-01 custom "finsek" "receipt-threshold" 75.00 USD
    2026-01-01 custom "finsek" "cash-gift-threshold" 1000.00 USD
    2026-01-01 custom "finsek" "duplicate-days" "3"
    2026-01-01 custom "finsek" "check-gap-limit" "20"
    2026-01-01 custom "finsek" "reconcile-accounts" "Assets:Bank"
    2026-01-01 custom "finsek" "reconcile-grace-days" "3"
    2026-01-01 custom "finsek" "git-check" "true"

``approval-threshold``, ``separation-of-duties`` and ``strict-funds`` are the
ledger's own settings (``finsek.ledger.conventions.ledger_settings``); the
audit only supplies a default threshold when the ledger sets none.
"""

from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from beancount.core import data

from finsek.ledger.conventions import custom_values
from finsek.ledger.reconciled import DEFAULT_ACCOUNTS, DEFAULT_GRACE_DAYS, read_accounts, read_days

DEFAULT_APPROVAL_THRESHOLD = Decimal("500.00")
DEFAULT_RECEIPT_THRESHOLD = Decimal("75.00")
DEFAULT_CASH_GIFT_THRESHOLD = Decimal("1000.00")
DEFAULT_DUPLICATE_DAYS = 3
DEFAULT_CHECK_GAP_LIMIT = 20
DEFAULT_RECONCILE_ACCOUNTS = DEFAULT_ACCOUNTS
DEFAULT_RECONCILE_GRACE_DAYS = DEFAULT_GRACE_DAYS

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class AuditSettings(NamedTuple):
    """What the audit checks against. Amounts are in the ledger's operating currency."""

    approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD
    receipt_threshold: Decimal = DEFAULT_RECEIPT_THRESHOLD
    cash_gift_threshold: Decimal = DEFAULT_CASH_GIFT_THRESHOLD
    duplicate_days: int = DEFAULT_DUPLICATE_DAYS
    check_gap_limit: int = DEFAULT_CHECK_GAP_LIMIT
    reconcile_accounts: tuple[str, ...] = DEFAULT_RECONCILE_ACCOUNTS
    reconcile_grace_days: int = DEFAULT_RECONCILE_GRACE_DAYS
    separation_of_duties: bool = False
    strict_funds: bool = False
    git_check: bool = True
    #: Problems with the settings lines themselves, reported as findings.
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Amounts as exact decimal strings, the rest as they are (tuples become JSON lists)."""
        return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in self._asdict().items()}

    @classmethod
    def from_dict(cls, raw: dict) -> "AuditSettings":
        """The settings ``to_dict`` gave; a key missing or of the wrong kind is a ValueError or TypeError."""
        values: dict[str, Any] = {}
        for name, default in cls._field_defaults.items():
            value = raw[name]
            if isinstance(default, Decimal):
                if not isinstance(value, str):
                    raise TypeError(f"{name}: an amount was expected")
                values[name] = Decimal(value)
            elif isinstance(default, tuple):
                if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
                    raise TypeError(f"{name}: a list of strings was expected")
                values[name] = tuple(value)
            elif type(value) is not type(default):
                raise TypeError(f"{name}: a {type(default).__name__} was expected")
            else:
                values[name] = value
        return cls(**values)


def _amount(value) -> Decimal:
    number = value.number if hasattr(value, "number") else value
    result = Decimal(str(number).strip().replace(",", ""))
    if not result.is_finite() or result < 0:
        raise InvalidOperation
    return result


def _count(value) -> int:
    number = value.number if hasattr(value, "number") else value
    result = Decimal(str(number).strip())
    if result != result.to_integral_value() or result < 0 or result > 10_000:
        raise InvalidOperation
    return int(result)


def _flag(value) -> bool:
    if value is True or value is False:
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidOperation


_READERS = {
    "receipt-threshold": ("receipt_threshold", _amount, "an amount such as 75.00 USD"),
    "cash-gift-threshold": ("cash_gift_threshold", _amount, "an amount such as 1000.00 USD"),
    "duplicate-days": ("duplicate_days", _count, 'a whole number of days such as "3"'),
    "check-gap-limit": ("check_gap_limit", _count, 'a whole number such as "20"'),
    "reconcile-accounts": ("reconcile_accounts", read_accounts,
                           'account names such as "Assets:Bank Assets:Cash:Petty"'),
    "reconcile-grace-days": ("reconcile_grace_days", read_days, 'a whole number of days such as "3"'),
    "git-check": ("git_check", _flag, '"true" or "false"'),
}


def audit_settings(entries, ledger_settings=None) -> AuditSettings:
    """The audit settings of a ledger: its ``custom "finsek"`` lines over the defaults.

    ``ledger_settings`` is the ledger's ``LedgerSettings`` (``books.settings``);
    its approval threshold, strict funds and separation of duties carry over.
    """
    values: dict = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "finsek":
            args = custom_values(entry)
            if len(args) >= 2 and isinstance(args[0], str) and args[0] in _READERS:
                values[args[0]] = args[1]
    updates: dict = {}
    problems = []
    for key, raw in values.items():
        attr, reader, expected = _READERS[key]
        try:
            updates[attr] = reader(raw)
        except (InvalidOperation, ValueError, TypeError):
            problems.append(
                f'The setting "{key}" has the value {raw!s}, which finsek cannot read: write {expected}. '
                "The audit uses the default until it is fixed."
            )
    if ledger_settings is not None:
        if ledger_settings.approval_threshold is not None:
            updates["approval_threshold"] = ledger_settings.approval_threshold
        updates["separation_of_duties"] = bool(ledger_settings.separation_of_duties)
        updates["strict_funds"] = bool(ledger_settings.strict_funds)
    return AuditSettings(**updates, problems=tuple(problems))
