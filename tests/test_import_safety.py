"""Issue 17, imports: a broken CSV imports nothing and says where; big cells; the rep's edits survive a
re-import; rows stream in batches; a vCard cut short is imported or named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from salestui.io.crm_csv import CsvError, import_accounts_csv
from salestui.store.core import Store

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


UNTERMINATED = 'Account Name,Industry,Description\nAcme,Soft,"unterminated\nBeta,Soft,fine\nGamma,Soft,fine\n'


def test_unterminated_quote_names_the_line_and_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "broken.csv", UNTERMINATED)
    with pytest.raises(CsvError, match=r"line 2: .*quote.*never closed"):
        import_accounts_csv(store, path, {})
    assert store.accounts.count() == 0


def test_cli_unterminated_quote_is_one_line_and_nothing_imported(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.csv", UNTERMINATED)
    db = tmp_path / "cli.db"
    done = _cli("import", "accounts", str(path), "--db", str(db))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "line 2" in done.stderr and "nothing was imported" in done.stderr
    assert done.stdout == ""


def test_a_cell_over_128_kib_is_imported(store: Store, tmp_path: Path) -> None:
    big = "x" * (200 * 1024)
    path = write(tmp_path, "big.csv", f'Account Name,Description\nAcme,"{big}"\nBeta,small\n')
    report = import_accounts_csv(store, path, {})
    assert (report.created, report.skipped) == (2, [])
    acme = store.accounts.find_by_name("Acme")
    assert acme is not None and acme.notes == big


def test_a_cell_over_the_limit_is_refused_in_one_line(store: Store, tmp_path: Path, monkeypatch) -> None:
    from salestui.io import crm_csv

    monkeypatch.setattr(crm_csv, "FIELD_LIMIT", 1024)
    path = write(tmp_path, "big.csv", f"Account Name,Description\nAcme,small\nBeta,{'y' * 5000}\n")
    with pytest.raises(CsvError, match=r"line 3: a cell is larger than 1 KiB"):
        import_accounts_csv(store, path, {})
    assert store.accounts.count() == 0


ACCOUNTS = (
    "Account Name,Industry,Phone,City,Description\nAcme,Software,555-1,Austin,From the CRM\nBeta,Retail,,Dayton,\n"
)


def test_reimport_keeps_the_reps_edits_and_says_so(store: Store, tmp_path: Path) -> None:
    import_accounts_csv(store, write(tmp_path, "a.csv", ACCOUNTS), {})
    acme = store.accounts.find_by_name("Acme")
    assert acme is not None
    store.accounts.update(acme.id, notes="My own notes: the CFO is on leave", phone="555-9 (direct line)")
    crm_changed = ACCOUNTS.replace("From the CRM", "New CRM text").replace("555-1", "555-2")
    crm_changed = crm_changed.replace("Software", "SaaS").replace("Beta,Retail,,", "Beta,Retail,555-3,")
    report = import_accounts_csv(store, write(tmp_path, "b.csv", crm_changed), {})
    acme = store.accounts.find_by_name("Acme")
    beta = store.accounts.find_by_name("Beta")
    assert acme is not None and beta is not None
    assert acme.notes == "My own notes: the CFO is on leave"  # the rep's edit
    assert acme.phone == "555-9 (direct line)"  # the rep's edit
    assert acme.industry == "SaaS"  # untouched by the rep: the CRM's field follows the CRM
    assert beta.phone == "555-3"  # an empty field is filled
    assert report.updated == 2
    summary = report.summary("accounts")
    assert "kept your edits in 2 fields" in summary.splitlines()[0]
    assert "Acme: kept your notes, phone" in summary
    # A third import with the same file changes nothing and keeps the edits again.
    again = import_accounts_csv(store, write(tmp_path, "c.csv", crm_changed), {})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert "kept your edits in 2 fields" in again.summary("accounts")


def test_an_account_the_rep_made_keeps_its_text_and_gets_empty_fields_filled(store: Store, tmp_path: Path) -> None:
    store.accounts.create("Acme", notes="typed by the rep", city="")
    report = import_accounts_csv(store, write(tmp_path, "a.csv", ACCOUNTS), {})
    acme = store.accounts.find_by_name("Acme")
    assert acme is not None
    assert acme.notes == "typed by the rep" and acme.city == "Austin" and acme.industry == "Software"
    assert report.kept == [(2, "Acme: kept your notes")]


def test_rows_are_written_in_batches_not_gathered_first(store: Store, tmp_path: Path, monkeypatch) -> None:
    """The file is streamed: by the time the last row is read, the first batches are already flushed."""
    from salestui.store import accounts as repo

    monkeypatch.setattr(repo, "IMPORT_BATCH", 10)
    flushed_when_read: list[int] = []
    original = repo.AccountRepo._import_account_batch

    def spy(self, session, batch, *args):  # type: ignore[no-untyped-def]
        flushed_when_read.append(len(batch))
        return original(self, session, batch, *args)

    monkeypatch.setattr(repo.AccountRepo, "_import_account_batch", spy)
    rows = "".join(f"Account {i},Software\n" for i in range(35))
    report = import_accounts_csv(store, write(tmp_path, "many.csv", "Account Name,Industry\n" + rows), {})
    assert report.created == 35 and store.accounts.count() == 35
    assert flushed_when_read == [10, 10, 10, 5]


def test_peak_memory_of_a_csv_import_stays_small(tmp_path: Path) -> None:
    """A 2 MB export in a subprocess: the import adds little to peak RSS (about 5 MiB; building every row first
    took 34 MiB)."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("Account Name,Industry,Website,Phone,City,Description\n")
        for i in range(5_000):
            out.write(f"Company {i},Software,c{i}.example,555-{i},Town {i % 50},{'Long notes ' * 35}\n")
    script = (
        "import resource, sys\n"
        "from salestui.store.core import open_store\n"
        "from salestui.io.crm_csv import import_accounts_csv\n"
        "store = open_store(sys.argv[2], owner='t')\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "report = import_accounts_csv(store, sys.argv[1], {})\n"
        "assert report.created == 5000, report.summary('a')\n"
        "print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), str(tmp_path / "m.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    base, peak = (int(x) for x in done.stdout.split())
    assert peak - base < 20_000, f"the import grew the process by {(peak - base) // 1024} MiB"  # KiB on Linux


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "salestui", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_a_vcard_cut_short_is_imported_and_named(store: Store, tmp_path: Path) -> None:
    from salestui.io.vcard import import_contacts_vcf

    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bill Lumbergh\r\nORG:Initech\r\nEMAIL:bill@initech.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Joanna Park\r\nORG:Initech\r\nEMAIL:joanna@initech.example\r\n"
    )
    path = tmp_path / "cut.vcf"
    path.write_text(text, encoding="utf-8", newline="")
    report = import_contacts_vcf(store, path)
    assert report.created == 2
    initech = store.accounts.find_by_name("Initech")
    assert initech is not None
    assert [c.name for c in store.accounts.contacts(initech.id)] == ["Bill Lumbergh", "Joanna Park"]
    assert "line 7: the last card has no END:VCARD" in report.summary("contacts")


def test_reimport_keeps_edits_on_sqlite_and_postgresql(any_store: Store, tmp_path: Path) -> None:
    """The import_origin bookkeeping is portable SQL (migration 0009 runs on both)."""
    from salestui.store.calendar import database_id

    import_accounts_csv(any_store, write(tmp_path, "a.csv", ACCOUNTS), {})
    acme = any_store.accounts.find_by_name("Acme")
    assert acme is not None
    any_store.accounts.update(acme.id, notes="mine")
    report = import_accounts_csv(any_store, write(tmp_path, "b.csv", ACCOUNTS.replace("Software", "SaaS")), {})
    acme = any_store.accounts.find_by_name("Acme")
    assert acme is not None and (acme.notes, acme.industry) == ("mine", "SaaS")
    assert report.kept == [(2, "Acme: kept your notes")]
    assert len(database_id(any_store)) == 8


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_streamed_reading_keeps_every_encoding(store: Store, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enc.csv"
    path.write_bytes("Account Name;City\r\nMüller GmbH;Köln\r\nÉclair SA;Genève\r\n".encode(encoding))
    report = import_accounts_csv(store, path, {})
    assert report.created == 2
    muller = store.accounts.find_by_name("Müller GmbH")
    assert muller is not None and muller.city == "Köln"
    assert ("Windows-1252" in report.summary("accounts")) == (encoding == "cp1252")
