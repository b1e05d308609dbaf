"""A donor's (or household's) giving: totals by year and fund, the gifts, pledge progress.

For ``finsek donor show`` and the TUI's Donors screen; plain Python, exact to
the cent with ``Decimal``.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from finsek.giving.pledges import ZERO, Gift, PledgeProgress, pledge_progress, read_pledges, scan_gifts
from finsek.giving.wording import fund_order
from finsek.ledger.donors import Donor, unknown_donor


@dataclass
class DonorHistory:
    """A donor's (or household's) giving: totals by year and fund, the gifts, pledge progress."""

    donor: Donor | None
    key: str
    members: list[Donor]
    donor_ids: list[str]
    by_year: dict[int, dict[str, Decimal]]
    """``{year: {fund: total}}``, years ascending."""
    totals: dict[int, Decimal]
    gifts: list[Gift]
    """All gifts, or the chosen year's."""
    pledges: list[PledgeProgress]
    funds: list[str]
    first_gift: dt.date | None
    last_gift: dt.date | None

    @property
    def grand_total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)


def donor_history(
    books, donor_id: str, *, year: int | None = None, household: bool = False, as_of: dt.date | None = None
) -> DonorHistory:
    """Everything a donor gave, for ``finsek donor show`` and the TUI's donor view.

    ``donor_id`` may be a merged id (its survivor is shown). With ``household``
    the whole household's giving is counted. ``year`` limits the gift list
    (the totals by year always cover every year).
    """
    registry = books.donors
    if registry.exists and donor_id not in registry:
        raise unknown_donor(donor_id)
    canonical = registry.canonical(donor_id)
    record = registry.get(canonical)
    key = registry.household_of(canonical) if household else canonical
    members = registry.household_members(key) if household else ([record] if record else [])
    survivors = [member.id for member in members] or [canonical]
    ids = [donor for survivor in survivors for donor in (registry.ids_of(survivor) if registry.exists else [survivor])]
    scan = scan_gifts(books, donors=set(survivors))
    by_year: dict[int, dict[str, Decimal]] = {}
    for gift in scan.gifts:
        funds = by_year.setdefault(gift.date.year, {})
        funds[gift.fund] = funds.get(gift.fund, ZERO) + gift.amount
    by_year = dict(sorted(by_year.items()))
    totals = {year_: sum(funds.values(), ZERO) for year_, funds in by_year.items()}
    used = {fund for funds in by_year.values() for fund in funds}
    funds = sorted(used, key=fund_order(books))
    pledges = [p for p in read_pledges(books).pledges if p.donor in survivors]
    progress = pledge_progress(books, pledges, as_of=as_of, gifts=scan.gifts)
    gifts = [gift for gift in scan.gifts if year is None or gift.date.year == year]
    dates = [gift.date for gift in scan.gifts]
    return DonorHistory(record, key, members, ids, by_year, totals, gifts, progress, funds,
                        min(dates) if dates else None, max(dates) if dates else None)
