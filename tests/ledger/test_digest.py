"""The canonical form and digest of a closed period (finsek/ledger/digest.py, docs/close-digest.md)."""

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from hypothesis import given, settings
from hypothesis import strategies as st

from finsek.ledger import digest
from tests.sample_books import ENTRIES, make_books
from tests.sample_books import TAMPERS as SAMPLE_TAMPERS

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
THROUGH = dt.date(2026, 10, 31)

#: The plugin tests' edits, and two more that only the digest sees.
TAMPERS = {
    **SAMPLE_TAMPERS,
    "flag": ("2026-10-18 *", "2026-10-18 !"),
    "tag": ('"Online gift"\n', '"Online gift" #online\n'),
}


def load(main: Path, errors_expected: bool = False) -> list:
    entries, errors, _ = loader.load_file(str(main))
    assert errors_expected or not errors, [error.message for error in errors]
    return entries


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def books(tmp_path) -> Path:
    return make_books(tmp_path)


# --------------------------------------------------------------------------- the form


def test_documented_example_line(tmp_path):
    main = make_books(
        tmp_path,
        '\n2026-11-03 * "City Power & Light" "October electricity"\n  check: "1043"\n'
        "  Expenses:Facilities:Utilities   182.40 USD\n  Assets:Bank:Checking           -182.40 USD\n",
    )
    [entry] = [e for e in load(main) if isinstance(e, data.Transaction)]
    expected = (
        '["2026-11-03","txn",{"flag":"*","links":[],"meta":{"check":["str","1043"]},'
        '"narration":"October electricity","payee":"City Power & Light","postings":['
        '{"account":"Expenses:Facilities:Utilities","cost":null,"flag":null,"meta":{},"price":null,'
        '"units":["182.40","USD"]},{"account":"Assets:Bank:Checking","cost":null,"flag":null,"meta":{},'
        '"price":null,"units":["-182.40","USD"]}],"tags":[]}]'
    )
    assert digest.entry_line(entry) == expected
    doc = (ROOT / "docs" / "close-digest.md").read_text(encoding="utf-8")
    wrapped = doc.split("becomes (one line; wrapped here):")[1].split("```")[1]
    assert "".join(wrapped.split("\n")) == expected


def test_digest_is_sha256_of_sorted_lines(books):
    entries = load(books)
    lines = digest.canonical_lines(entries, THROUGH)
    assert lines == sorted(lines)
    expected = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    assert digest.period_digest(entries, THROUGH) == "sha256:" + expected
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest.period_digest(entries, THROUGH))
    assert digest.period_digest([], THROUGH) == "sha256:" + hashlib.sha256(b"").hexdigest()


def test_covers_entries_through_the_date_only(books):
    entries = load(books)
    lines = digest.canonical_lines(entries, THROUGH)
    assert any('"Online gift"' in line for line in lines)
    assert any(line.startswith('["2026-10-31","balance"') for line in lines)
    assert any('"open"' in line for line in lines)  # the chart of accounts, dated 2026-01-01
    assert any('"fund"' in line for line in lines)  # the fund registry
    assert not any(line.startswith('["2026-11') for line in lines)


RICH = """
option "operating_currency" "USD"
2020-01-01 open Assets:Cash USD,EUR "STRICT"
  opened-by: "me"
2020-01-01 open Assets:Stock
2020-01-01 open Equity:Open
2020-01-01 open Expenses:Old
2020-01-01 commodity HOOL
  name: "Hooli"
2020-01-01 custom "x" "s" Assets:Cash 12.50 1.0 USD 2020-01-02 TRUE
  m1: "str"
  m2: Assets:Cash
  m3: 12.50
  m4: 3 USD
  m5: 2020-01-01
  m6: TRUE
  m7: USD
  m9:
pushtag #trip
2020-01-02 ! "Payee \\"quoted\\" \\\\ back" "Narration with é and 🎉" #t1 ^l1 ^l0
  ab: "b"
  Assets:Cash  1,000.00 USD
    pm: 7
  ! Equity:Open  -1000.00 USD
poptag #trip
2020-01-03 * "two currencies"
  Assets:Cash  10 USD
  Assets:Cash  10 EUR
  Equity:Open
2020-01-04 * "stock"
  Assets:Stock 10 HOOL {100 USD, "lot-a"}
  Assets:Cash -1000 USD
2020-01-05 * "stock sell"
  Assets:Stock -5 HOOL {} @@ 600 USD
  Assets:Cash 600 USD
  Equity:Open
2020-01-05 note Assets:Cash "called the bank"
2020-01-05 event "location" "Stockholm"
2020-01-05 query "cash" "SELECT account"
2020-01-05 price HOOL 120 USD
2020-01-06 document Assets:Cash "documents/a.pdf"
2020-01-07 pad Assets:Cash Equity:Open
2020-01-08 balance Assets:Cash 5000.00 USD
2020-01-08 balance Assets:Cash 10 ~ 0.1 EUR
2020-01-09 close Expenses:Old
"""


def load_rich(tmp_path) -> list:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "a.pdf").write_bytes(b"%PDF")
    main = tmp_path / "rich.beancount"
    main.write_text(RICH, encoding="utf-8")
    entries, errors, _ = loader.load_file(str(main))
    assert not errors, [error.message for error in errors]
    return entries


def test_fast_lines_match_the_reference_definition(tmp_path, books):
    entries = load_rich(tmp_path) + load(books)
    assert {type(e) for e in entries} >= set(data.ALL_DIRECTIVES)
    for entry in entries:
        line = digest.entry_line(entry)
        assert line == digest.reference_line(entry)
        assert json.loads(line)[0] == entry.date.isoformat()


def test_rich_ledger_fields(tmp_path):
    entries = load_rich(tmp_path)
    lines = "\n".join(digest.canonical_lines(entries, dt.date(2020, 12, 31)))
    assert '"m2":["str","Assets:Cash"],"m3":["number","12.50"],"m4":["amount","3","USD"]' in lines
    assert '"m5":["date","2020-01-01"],"m6":["bool",true],"m7":["str","USD"],"m9":["null"]' in lines
    assert '"values":[["str","s"],["account","Assets:Cash"],["number","12.50"],["amount","1.0","USD"]' in lines
    assert '"units":["1000.00","USD"]' in lines  # 1,000.00 as a plain decimal
    assert '"pm":["number","7"]' in lines
    assert '"tags":["t1","trip"]' in lines and '"links":["l0","l1"]' in lines
    assert '"payee":"Payee \\"quoted\\" \\\\ back","postings"' in lines
    assert "Narration with é and 🎉" in lines  # not \\u-escaped
    assert '"cost":{"currency":"USD","date":"2020-01-04","label":"lot-a","number":"100"}' in lines
    assert '"price":["120","USD"]' in lines
    assert '{"account":"Equity:Open","auto":true,"flag":null,"meta":{}}' in lines
    assert lines.count('"auto":true') == 2  # the two-currency elision appears once
    assert '"filename":"documents/a.pdf"' in lines  # relative, not where the folder is
    assert '"tolerance":"0.1"' in lines
    assert '"booking":"STRICT","currencies":["USD","EUR"]' in lines
    # The padding transaction Beancount made for the pad is not covered; the pad itself is.
    assert '"flag":"P"' not in lines
    assert '["2020-01-07","pad"' in lines


def test_plugin_made_entries_are_not_covered(tmp_path):
    (tmp_path / "docs" / "Assets" / "Cash").mkdir(parents=True)
    (tmp_path / "docs" / "Assets" / "Cash" / "2020-01-05.statement.pdf").write_bytes(b"%PDF")
    main = tmp_path / "main.beancount"
    main.write_text(
        'option "operating_currency" "USD"\noption "documents" "docs"\n'
        'plugin "beancount.plugins.implicit_prices"\nplugin "beancount.plugins.auto_accounts"\n'
        "2020-01-01 open Assets:Cash\n"
        '2020-01-04 * "fx"\n  Assets:Cash  10 EUR @ 1.10 USD\n  Equity:Open\n',
        encoding="utf-8",
    )
    entries, errors, _ = loader.load_file(str(main))
    assert not errors
    kinds = {type(e) for e in entries}
    assert data.Document in kinds and data.Price in kinds  # made by Beancount and the plugins
    lines = digest.canonical_lines(entries, dt.date(2020, 12, 31))
    assert [json.loads(line)[1] for line in lines] == ["open", "txn"]


# --------------------------------------------------------------------------- closes chain


def custom_close(day: dt.date, through: dt.date, value: str = "sha256:" + "0" * 64, lineno: int = 1):
    meta = data.new_metadata("/books/accounts.beancount", lineno)
    return data.Custom(meta, day, "close", [ValueType(through, dt.date), ValueType(value, str)])


def test_closes_chain_by_through_date(books):
    entries = load(books)
    september = custom_close(dt.date(2026, 11, 20), dt.date(2026, 9, 30), lineno=1)  # closed late
    october = custom_close(dt.date(2026, 11, 5), THROUGH, lineno=2)
    november = custom_close(dt.date(2026, 10, 15), dt.date(2026, 11, 30), lineno=3)  # nonsense date
    all_entries = [*entries, september, october, november]
    lines = digest.canonical_lines(all_entries, THROUGH)
    closes = [line for line in lines if '"close"' in line and '"custom"' in line]
    assert closes == [digest.entry_line(september)]  # never itself, never a later close
    assert digest.period_digest(all_entries, THROUGH) != digest.period_digest(entries, THROUGH)
    # The September close covers no close at all.
    assert digest.period_digest(all_entries, dt.date(2026, 9, 30)) == digest.period_digest(
        entries, dt.date(2026, 9, 30)
    )
    # previous_closes replaces the closes found in the entries.
    assert digest.canonical_lines(entries, THROUGH, previous_closes=[september]) == lines
    assert digest.canonical_lines(all_entries, THROUGH, previous_closes=[]) == digest.canonical_lines(entries, THROUGH)


@pytest.mark.parametrize(
    "closes",
    [
        [],
        [(dt.date(2026, 10, 5), dt.date(2026, 9, 30)), (dt.date(2026, 11, 5), THROUGH)],
        [(dt.date(2026, 11, 20), dt.date(2026, 9, 30)), (dt.date(2026, 11, 5), THROUGH)],  # late
        [(THROUGH, THROUGH), (dt.date(2026, 9, 30), dt.date(2026, 9, 30))],  # closed on the day
        [(dt.date(2026, 10, 15), dt.date(2026, 11, 30)), (dt.date(2026, 11, 5), THROUGH)],  # early
        [(dt.date(2026, 11, 5), THROUGH), (dt.date(2026, 11, 6), THROUGH)],  # twice
    ],
)
def test_period_digests_agrees_with_period_digest(books, closes):
    entries = load(books) + [custom_close(day, through, lineno=i + 1) for i, (day, through) in enumerate(closes)]
    throughs = [dt.date(2026, 9, 5), dt.date(2026, 9, 30), dt.date(2026, 10, 3), THROUGH, dt.date(2026, 11, 30)]
    throughs += [through for _, through in closes]
    fast = digest.period_digests(entries, throughs)
    assert set(fast) == set(throughs)
    for through in throughs:
        assert fast[through] == digest.period_digest(entries, through), through


# --------------------------------------------------------------------------- stability


def test_same_digest_after_bean_format(books):
    before = digest.period_digest(load(books), THROUGH)
    files = sorted(books.parent.glob("*.beancount"))
    originals = {path: path.read_text(encoding="utf-8") for path in files}
    subprocess.run([str(BIN / "bean-format"), "-i", *map(str, files)], check=True, capture_output=True)
    assert any(path.read_text(encoding="utf-8") != originals[path] for path in files)
    assert digest.period_digest(load(books), THROUGH) == before


def test_same_digest_after_reordering_and_moving_entries(books):
    before = digest.period_digest(load(books), THROUGH)
    year = books.parent / "2026.beancount"
    text = year.read_text(encoding="utf-8")
    bill, gift = re.findall(r"(?ms)^2026-10-03 .*?(?=\n\n)", text)
    year.write_text(text.replace(bill, "@@BILL@@").replace(gift, bill).replace("@@BILL@@", gift), encoding="utf-8")
    assert year.read_text(encoding="utf-8") != text
    assert digest.period_digest(load(books), THROUGH) == before
    # Move the transfer to accounts.beancount, with other spacing and a comment.
    transfer = re.search(r"(?ms)^2026-10-18 .*?(?=\n\n)", text).group(0)
    edit(year, transfer + "\n", "")
    with (books.parent / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write("\n; moved here\n" + transfer.replace("   500.00", " 500.00") + "\n")
    assert digest.period_digest(load(books), THROUGH) == before


def test_same_digest_wherever_the_folder_is(tmp_path):
    main = make_books(tmp_path, ENTRIES + '\n2026-10-05 document Assets:Bank:Checking "documents/s.pdf"\n')
    (main.parent / "documents" / "s.pdf").write_bytes(b"%PDF")
    before = digest.period_digest(load(main), THROUGH)
    moved = shutil.move(str(main.parent), str(tmp_path / "elsewhere"))
    assert digest.period_digest(load(Path(moved) / "main.beancount"), THROUGH) == before


def test_spelling_of_numbers_is_formatting(books):
    before = digest.period_digest(load(books), THROUGH)
    edit(books.parent / "2026.beancount", "Equity:Transfers   500.00 USD", "Equity:Transfers   500.00  USD")
    assert digest.period_digest(load(books), THROUGH) == before
    edit(books.parent / "2026.beancount", "390.00 USD", "(300.00 + 90.00) USD")
    assert digest.period_digest(load(books), THROUGH) == before


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_any_edit_in_the_period_changes_the_digest(books, name):
    entries = load(books)
    before = digest.period_digest(entries, THROUGH)
    november = digest.period_digest(entries, dt.date(2026, 11, 30))
    old, new = TAMPERS[name]
    edit(books.parent / "2026.beancount", old, new)
    entries = load(books)
    assert digest.period_digest(entries, THROUGH) != before
    assert digest.period_digest(entries, dt.date(2026, 11, 30)) != november


def test_an_edit_after_the_period_keeps_the_digest(books):
    before = digest.period_digest(load(books), THROUGH)
    edit(
        books.parent / "2026.beancount",
        "75.00 USD\n  Income:Contributions:Offerings  -75.00",
        "80.00 USD\n  Income:Contributions:Offerings  -80.00",
    )
    assert digest.period_digest(load(books), THROUGH) == before


def test_precision_as_written_counts(books):
    before = digest.period_digest(load(books), THROUGH)
    edit(books.parent / "2026.beancount", "Equity:Transfers   500.00 USD", "Equity:Transfers   500.0 USD")
    assert digest.period_digest(load(books), THROUGH) != before


# --------------------------------------------------------------------------- the documented script


def test_documented_script_gives_the_same_digest(books, tmp_path):
    doc = (ROOT / "docs" / "close-digest.md").read_text(encoding="utf-8")
    section = doc.split("## Recomputing a digest by hand")[1]
    script = section.split("```python\n")[1].split("```")[0]
    path = tmp_path / "digest_by_hand.py"
    path.write_text(script, encoding="utf-8")
    with (books.parent / "2026.beancount").open("a", encoding="utf-8") as handle:
        handle.write('\n2026-11-05 custom "close" 2026-09-30 "sha256:' + "1" * 64 + '"\n')
    entries = load(books, errors_expected=True)  # the close is wrong, and the plugin says so
    for through in (dt.date(2026, 9, 30), THROUGH):
        result = subprocess.run(
            [sys.executable, str(path), str(books), through.isoformat()],
            check=True,
            capture_output=True,
            text=True,
        )
        assert result.stdout.strip() == digest.period_digest(entries, through)


# --------------------------------------------------------------------------- naming periods


def test_period_names():
    assert digest.describe_period(THROUGH) == "the period through 2026-10-31 (October 2026)"
    assert digest.describe_period(dt.date(2026, 10, 15)) == "the period through 2026-10-15"
    assert digest.period_name(dt.date(2026, 10, 1), THROUGH) == "October 2026"
    assert digest.period_name(dt.date(2026, 7, 1), THROUGH) == "July–October 2026"
    assert digest.period_name(dt.date(2025, 11, 1), THROUGH) == "November 2025–October 2026"
    assert digest.period_name(dt.date(2026, 10, 1), dt.date(2026, 10, 15)) == "2026-10-01 to 2026-10-15"
    assert digest.period_name(None, THROUGH) == "October 2026 and before"


# --------------------------------------------------------------------------- no collisions

#: Strings with what could confuse a separator or an escape: quotes, backslashes, brackets,
#: control characters, and any other Unicode (lone surrogates cannot come from a file).
TEXT = st.lists(
    st.one_of(
        st.sampled_from(['"', "\\", "\\\\", '\\"', '","', ",", ":", "[", "]", "{", "}", "\n", "\t", "\x00"]),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=10,
).map("".join)


def transaction(payee, narration) -> data.Transaction:
    meta = data.new_metadata("/books/2026.beancount", 3)
    posting = data.Posting(
        "Assets:Bank:Checking", Amount(Decimal("1.00"), "USD"), None, None, None, data.new_metadata("x", 4)
    )
    return data.Transaction(meta, dt.date(2026, 10, 3), "*", payee, narration, frozenset(), frozenset(), [posting])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), TEXT), TEXT, st.one_of(st.none(), TEXT), TEXT)
def test_payee_and_narration_never_collide(payee1, narration1, payee2, narration2):
    line1 = digest.entry_line(transaction(payee1, narration1))
    line2 = digest.entry_line(transaction(payee2, narration2))
    assert (line1 == line2) == ((payee1, narration1) == (payee2, narration2))
    assert line1 == digest.reference_line(transaction(payee1, narration1))
    body = json.loads(line1)[2]
    assert (body["payee"], body["narration"]) == (payee1, narration1)
    assert "\n" not in line1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4, unique=True))
def test_metadata_strings_never_collide(pairs):
    lines = set()
    for key_suffix, value in pairs:
        entry = transaction("p", "n")
        entry.meta["ab" + key_suffix] = value
        line = digest.entry_line(entry)
        assert line == digest.reference_line(entry)
        lines.add(line)
    assert len(lines) == len(pairs)
