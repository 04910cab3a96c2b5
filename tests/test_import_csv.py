"""CSV import of CRM exports: two CRM styles, BOM, semicolons, quoted commas/newlines, re-import, bad rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from salestui.domain.enums import AccountStatus, ContactRole
from salestui.io.crm_csv import CsvError, import_accounts_csv, import_contacts_csv, sniff_delimiter

# Salesforce style, UTF-8 with BOM, semicolons (a European Excel export), a quoted
# description with a semicolon, a comma and a line break, and a row without a name.
SALESFORCE_ACCOUNTS = (
    "\ufeffAccount Name;Industry;Type;Website;Phone;Billing City;Description\r\n"
    'Initech;Software;Customer - Direct;initech.example;+1 555 0100;Austin;"TPS reports; 3 offices,\r\nbudget Q1"\r\n'
    '"Acme, Inc.";Manufacturing;Prospect;acme.example;;Dayton;\r\n'
    ";Retail;Prospect;;;;orphan row\r\n"
    "Umbrella Health;Healthcare;;umbrella.example;;Raccoon City;\r\n"
)

# HubSpot style, plain UTF-8, commas, different header names for the same fields.
HUBSPOT_CONTACTS = (
    "First Name,Last Name,Email,Phone Number,Job Title,Company Name,Buying Role\n"
    'Bill,Lumbergh,bill@initech.example,555-1,"VP, Operations",Initech,Decision maker\n'
    "Joanna,Park,joanna@initech.example,,IT lead,INITECH,technical\n"
    "Bad,Address,not-an-address,,,Initech,\n"
    'Dana,Whitfield,dana@acme.example,,CFO,"Acme, Inc.",champion\n'
    "Lone,Wolf,lone@nowhere.example,,,,\n"
    "Peter,Gibbons,,,Engineer,Wayne Retail,\n"
)

# Pipedrive style (prefixed headers), tab separated.
PIPEDRIVE_ORGS = "Organization - Name\tOrganization - Industry\tOrganization - Address - City\nStark Logistics\tLogistics\tRotterdam\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_salesforce_accounts_bom_semicolons_quotes_and_bad_row(store, tmp_path):
    path = write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS)
    report = import_accounts_csv(store, path, {})
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.skipped == [(5, "no account name")]  # line 5: the description spans lines 3-4
    initech = store.accounts.find_by_name("initech")
    assert initech is not None
    assert initech.name == "Initech"  # the BOM did not end up in the first header
    assert initech.status is AccountStatus.CUSTOMER
    assert (initech.industry, initech.website, initech.phone, initech.city) == (
        "Software",
        "initech.example",
        "+1 555 0100",
        "Austin",
    )
    assert initech.notes == "TPS reports; 3 offices,\nbudget Q1"  # a line break inside a cell, stored as \n
    acme = store.accounts.find_by_name("Acme, Inc.")
    assert acme is not None and acme.status is AccountStatus.PROSPECT and acme.city == "Dayton"
    assert "line 5: no account name" in report.summary("accounts")


def test_reimport_does_not_duplicate_and_updates_changed_fields(store, tmp_path):
    path = write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS)
    import_accounts_csv(store, path, {})
    again = import_accounts_csv(store, path, {})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert store.accounts.count() == 3
    changed = write(tmp_path, "changed.csv", SALESFORCE_ACCOUNTS.replace("Austin", "Dallas"))
    before = store.accounts.find_by_name("Initech")
    report = import_accounts_csv(store, changed, {})
    after = store.accounts.find_by_name("Initech")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert after is not None and before is not None
    assert after.city == "Dallas" and after.version == before.version + 1
    assert store.accounts.count() == 3


def test_hubspot_contacts_link_to_accounts_and_reimport(store, tmp_path):
    import_accounts_csv(store, write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS), {})
    path = write(tmp_path, "contacts.csv", HUBSPOT_CONTACTS)
    report = import_contacts_csv(store, path, {})
    assert (report.created, report.updated) == (4, 0)
    assert report.accounts_created == 1  # Wayne Retail did not exist yet
    assert [line for line, _ in report.skipped] == [4, 6]
    assert "not an email address" in report.skipped[0][1]
    assert "no company/account" in report.skipped[1][1]
    initech = store.accounts.find_by_name("Initech")
    assert initech is not None
    people = {c.name: c for c in store.accounts.contacts(initech.id)}
    assert set(people) == {"Bill Lumbergh", "Joanna Park"}  # "INITECH" matched case-insensitively
    assert people["Bill Lumbergh"].title == "VP, Operations"
    assert people["Bill Lumbergh"].role is ContactRole.DECISION_MAKER
    assert people["Joanna Park"].role is ContactRole.TECHNICAL
    again = import_contacts_csv(store, path, {})
    assert (again.created, again.updated, again.unchanged, again.accounts_created) == (0, 0, 4, 0)
    assert store.accounts.count() == 4
    wayne = store.accounts.find_by_name("Wayne Retail")
    assert wayne is not None and [c.name for c in store.accounts.contacts(wayne.id)] == ["Peter Gibbons"]


def test_contact_matched_by_email_even_when_renamed(store, tmp_path):
    first = write(tmp_path, "a.csv", "Full Name,Email,Company\nBill Lumbergh,BILL@initech.example,Initech\n")
    import_contacts_csv(store, first, {})
    renamed = write(
        tmp_path, "b.csv", "Full Name,Email,Company,Title\nWilliam Lumbergh,bill@initech.example,Initech,VP\n"
    )
    report = import_contacts_csv(store, renamed, {})
    assert (report.created, report.updated) == (0, 1)
    account = store.accounts.find_by_name("Initech")
    assert account is not None
    (contact,) = store.accounts.contacts(account.id)
    assert contact.title == "VP" and contact.name == "Bill Lumbergh"


def test_pipedrive_tabs_and_map_overrides(store, tmp_path):
    report = import_accounts_csv(store, write(tmp_path, "orgs.tsv", PIPEDRIVE_ORGS), {})
    assert report.created == 1
    stark = store.accounts.find_by_name("Stark Logistics")
    assert stark is not None and (stark.industry, stark.city) == ("Logistics", "Rotterdam")
    odd = write(tmp_path, "odd.csv", "Org,Sector,Town\nWayne Retail,Retail,Gotham\n")
    with pytest.raises(CsvError, match="no column for the account name"):
        import_accounts_csv(store, odd, {})
    report = import_accounts_csv(store, odd, {"org": "name", "Town": "ignore"})
    wayne = store.accounts.find_by_name("Wayne Retail")
    assert report.created == 1 and wayne is not None
    assert (wayne.industry, wayne.city) == ("Retail", "")
    with pytest.raises(CsvError, match="unknown field"):
        import_accounts_csv(store, odd, {"Org": "nom"})


def test_extra_cells_are_a_bad_row_and_windows_1252_is_read(store, tmp_path):
    text = "Company,City\nCafé Zürich,Zürich\nStray,Bern,oops\n"
    report = import_accounts_csv(store, write(tmp_path, "latin.csv", text, "cp1252"), {})
    assert report.created == 1
    assert report.skipped[0][0] == 3 and "3 cells" in report.skipped[0][1]
    assert store.accounts.find_by_name("Café Zürich") is not None
    assert report.notes and "Windows-1252" in report.notes[0]


def test_nothing_half_written_when_the_import_fails(store, tmp_path, monkeypatch):
    import salestui.store.accounts as accounts_module

    calls = {"n": 0}
    real = accounts_module.AccountRepo._import_account_batch

    def crash_on_third_batch(self, *args):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk pulled")
        return real(self, *args)

    monkeypatch.setattr(accounts_module, "IMPORT_BATCH", 1)  # two batches are flushed before the crash
    monkeypatch.setattr(accounts_module.AccountRepo, "_import_account_batch", crash_on_third_batch)
    text = "Company,City\nA,x\nA,y\nB,z\nB,w\n"  # rows 3 and 5 update the rows just created
    with pytest.raises(RuntimeError):
        import_accounts_csv(store, write(tmp_path, "crash.csv", text), {})
    assert store.accounts.count() == 0


def test_sniffer_prefers_the_real_delimiter():
    assert sniff_delimiter('Name;Notes\n"A, B";x\n"C, D";y\n') == ";"
    assert sniff_delimiter("Name,Notes\nA;B,x\nC;D,y\n") == ","
    assert sniff_delimiter("Name\tCity\nA\tB\n") == "\t"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "salestui", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )


def test_cli_import_prints_summary_and_fails_on_missing_file(tmp_path):
    db = tmp_path / "cli.db"
    path = write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS)
    done = run_cli("import", "accounts", str(path), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "accounts: 3 created, 0 updated, 1 skipped"
    assert "line 5: no account name" in done.stdout
    contacts = write(tmp_path, "contacts.csv", "Name,Organisation\nBill,Initech\n")
    done = run_cli("import", "contacts", str(contacts), "--map", "Organisation=account", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("contacts: 1 created")
    missing = run_cli("import", "contacts", str(tmp_path / "nope.csv"), "--db", str(db), cwd=tmp_path)
    assert missing.returncode != 0
    assert "cannot read" in missing.stderr and "Traceback" not in missing.stderr
