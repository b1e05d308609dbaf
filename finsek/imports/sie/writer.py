"""A ``SieFile`` as the bytes of a SIE 4 file (PC8, CR LF), and what PC8 could not hold."""

import datetime as dt

from finsek.imports.sie.fields import ENCODING, amount, encodable, line, objects, quote
from finsek.imports.sie.model import SieFile


def sie_text(sie: SieFile, generated: dt.date) -> str:
    lines = [
        line("FLAGGA", "0"),
        line("FORMAT", "PC8"),
        line("SIETYP", sie.sie_type or "4"),
        line("PROGRAM", *(quote(part) for part in sie.program.rsplit(" ", 1))),
        line("GEN", f"{generated:%Y%m%d}"),
        line("FNAMN", quote(sie.name)),
    ]
    if sie.orgnr:
        lines.append(line("ORGNR", sie.orgnr))
    for index in sorted(sie.years, reverse=True):
        first, last = sie.years[index]
        lines.append(line("RAR", str(index), f"{first:%Y%m%d}", f"{last:%Y%m%d}"))
    lines.append(line("VALUTA", sie.currency))
    for number in sorted(sie.accounts):
        lines.append(line("KONTO", number, quote(sie.accounts[number])))
        if number in sie.kinds:
            lines.append(line("KTYP", number, sie.kinds[number]))
    for dim in sorted(sie.dimensions):
        lines.append(line("DIM", str(dim), quote(sie.dimensions[dim])))
    for (dim, code), name in sorted(sie.objects.items()):
        lines.append(line("OBJEKT", str(dim), quote(code), quote(name)))
    for label, table in (("IB", sie.opening), ("UB", sie.closing), ("RES", sie.result)):
        for (index, number), total in sorted(table.items(), key=lambda item: (-item[0][0], item[0][1])):
            lines.append(line(label, str(index), number, amount(total)))
    for label, objects_table in (("OIB", sie.object_opening), ("OUB", sie.object_closing)):
        for (index, number, pair), total in sorted(objects_table.items(), key=lambda item: (-item[0][0], item[0][1:])):
            lines.append(line(label, str(index), number, objects([pair]), amount(total)))
    for voucher in sie.vouchers:
        lines.append(line("VER", quote(voucher.series), quote(voucher.number), f"{voucher.date:%Y%m%d}",
                          quote(voucher.text)))
        lines.append("{")
        for row in voucher.rows:
            lines.append("   " + line("TRANS", row.account, objects(list(row.objects)), amount(row.amount)))
        lines.append("}")
    return "\r\n".join(lines) + "\r\n"


def sie_bytes(sie: SieFile, generated: dt.date) -> tuple[bytes, str]:
    """The file's bytes, and the characters PC8 cannot hold (written as ``?``)."""
    text = sie_text(sie, generated)
    return text.encode(ENCODING, errors="replace"), encodable(text)
