"""Property tests: any unicode survives the JSON export/import as stored (control characters never are); arbitrary bytes never crash or half-write the CSV importer."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from salestui.io.crm_csv import CsvError, import_accounts_csv, import_contacts_csv
from salestui.io.json_io import dump_json, import_json
from salestui.store import tables as t
from salestui.store.core import open_store
from salestui.text import entered

WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Any unicode text SQLite can hold: surrogates cannot be encoded as UTF-8 at all.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(name=TEXT.filter(lambda s: entered(s).strip() != ""), body=TEXT, objective=TEXT)
def test_any_unicode_round_trips_through_json_export(name: str, body: str, objective: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = open_store(Path(tmp) / "source.db", owner="tester")
        target = open_store(Path(tmp) / "target.db", owner="tester")
        try:
            account = source.accounts.create(name, notes=body, industry=objective)
            source.accounts.add_contact(account.id, "x" + body, title=objective, notes=name)
            source.accounts.add_note(account.id, "other", body, source=objective)
            source.calls.create(account.id, WHEN, objective=objective)
            first = dump_json(source)
            exported = Path(tmp) / "export.json"
            exported.write_text(first, encoding="utf-8")

            import_json(target, exported)
            assert dump_json(target) == first
            restored = target.accounts.get(account.id)
            # What the store keeps: control characters removed; notes keep line breaks and tabs.
            assert (restored.name, restored.notes, restored.industry) == (
                source.accounts.get(account.id).name,
                entered(body, lines=True),
                entered(objective),
            )
            document = json.loads(first)
            assert document["calls"][0]["objective"] == entered(objective)
        finally:
            source.engine.dispose()
            target.engine.dispose()


def _counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.reading() as session:
        accounts = session.exec(select(func.count()).select_from(t.Account)).one()
        contacts = session.exec(select(func.count()).select_from(t.Contact)).one()
    return accounts, contacts


HEADERS = st.sampled_from(
    [b"", b"Account Name,Industry,City\n", b"Name;Company;Email\n", b"\xef\xbb\xbfName\tCompany\n"]
)


@SETTINGS
@given(header=HEADERS, raw=st.binary(max_size=400), contacts=st.booleans())
def test_csv_import_never_crashes_or_half_writes(header: bytes, raw: bytes, contacts: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "csv.db", owner="tester")
        try:
            store.accounts.create("Existing account", city="Lyon")
            path = Path(tmp) / "in.csv"
            path.write_bytes(header + raw)
            before = _counts(store)
            importer = import_contacts_csv if contacts else import_accounts_csv
            try:
                report = importer(store, path)
            except CsvError as error:
                message = str(error)
                assert message.strip() and "Traceback" not in message
                assert _counts(store) == before  # a refused file changes nothing
                return
            after = _counts(store)
            grown = (after[1] - before[1]) if contacts else (after[0] - before[0])
            assert grown == report.created  # every counted row is there, nothing more
            if contacts:
                assert after[0] - before[0] == report.accounts_created
            else:
                assert after[1] == before[1]
            for line, reason in report.skipped:
                assert isinstance(line, int) and reason
        finally:
            store.engine.dispose()


# Field text full of what CSV quoting must survive: quotes, separators, line breaks.
CSV_TEXT = st.text(st.sampled_from(list('ab "",;\n\r\tÉé😀')), max_size=30)


@SETTINGS
@given(
    rows=st.lists(st.tuples(CSV_TEXT.filter(lambda s: entered(s).strip() != ""), CSV_TEXT), min_size=1, max_size=8),
    break_at=st.integers(min_value=0, max_value=1),
)
def test_csv_quoting_round_trips_and_an_unclosed_quote_refuses_the_file(rows, break_at) -> None:  # type: ignore[no-untyped-def]
    """A file written with proper quoting imports every name exactly; the same file ending inside
    a quote (a broken export) is refused with its line named, and writes nothing."""
    import csv
    import io

    from salestui.store.accounts import name_key

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "csv.db", owner="tester")
        try:
            text = io.StringIO()
            writer = csv.writer(text)  # "\r\n": every field holding \r or \n is quoted
            writer.writerow(["Account Name", "Industry"])
            writer.writerows(rows)
            path = Path(tmp) / "good.csv"
            path.write_text(text.getvalue(), encoding="utf-8")
            report = import_accounts_csv(store, path)
            wanted = {name_key(name): " ".join(entered(name).split()) for name, _ in rows}
            got = {name_key(row.name) for row in store.accounts.rows(limit=100)}
            assert got == set(wanted)
            assert report.created == len(wanted)

            broken = Path(tmp) / "broken.csv"
            cells = ["Unclosed", '"never closed'] if break_at else ['"never closed', "x"]
            broken.write_text(text.getvalue() + ",".join(cells) + "\r\nLater,row\r\n", encoding="utf-8")
            before = _counts(store)
            try:
                import_accounts_csv(store, broken)
            except CsvError as error:
                assert "never closed" in str(error) or "quote" in str(error)
                assert "line" in str(error)
            else:
                raise AssertionError("a file ending inside a quote was imported")
            assert _counts(store) == before
        finally:
            store.engine.dispose()
