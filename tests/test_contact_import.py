"""One contact-matching rule for every contact import (CSV and vCard): ``AccountRepo.import_contacts``.

A record matches an existing contact by any of its email addresses, else by name within the
account; a match keeps its name, its email and the rep's notes, takes title, role and phone, and
no email address is ever lost (the others go into the notes, once).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from salestui.domain.enums import ContactRole
from salestui.io.crm_csv import import_contacts_csv
from salestui.io.vcard import import_contacts_vcf
from salestui.store.accounts import AccountRepo, ContactRecord
from salestui.store.core import Store

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bill Lumbergh\r\nORG:Initech\r\nTITLE:VP\r\n"
    "EMAIL;TYPE=pref:bill@initech.example\r\nEMAIL:bill@home.example\r\nNOTE:Met at the fair\r\nEND:VCARD\r\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_contact(store: Store):  # type: ignore[no-untyped-def]
    account = store.accounts.find_by_name("Initech")
    assert account is not None
    (contact,) = store.accounts.contacts(account.id)
    return contact


def test_csv_and_vcard_go_through_the_same_function(store: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[list[ContactRecord]] = []
    real = AccountRepo.import_contacts

    def spy(self, records, progress=None):  # type: ignore[no-untyped-def]
        seen.append(list(records))
        return real(self, records, progress)

    monkeypatch.setattr(AccountRepo, "import_contacts", spy)
    import_contacts_vcf(store, write(tmp_path, "a.vcf", CARD))
    import_contacts_csv(
        store, write(tmp_path, "a.csv", "Full Name,Email,Company\nBill Lumbergh,bill@x.example,Initech\n")
    )
    assert [len(records) for records in seen] == [1, 1]
    assert seen[0][0].emails == ("bill@initech.example", "bill@home.example")
    assert seen[1][0].emails == ("bill@x.example",)


def test_a_csv_row_matches_a_vcard_contact_by_its_second_address(store: Store, tmp_path: Path) -> None:
    import_contacts_vcf(store, write(tmp_path, "a.vcf", CARD))
    first = only_contact(store)
    assert first.email == "bill@initech.example"
    assert first.notes == "Met at the fair\nOther email addresses: bill@home.example"
    csv = "First Name,Last Name,Email,Company,Job Title,Buying Role,Description\n"
    csv += "William,Lumbergh,BILL@HOME.EXAMPLE,Initech,COO,Decision maker,From the CRM\n"
    report = import_contacts_csv(store, write(tmp_path, "b.csv", csv))
    assert (report.created, report.updated) == (0, 1)
    contact = only_contact(store)
    assert (contact.name, contact.email, contact.title) == ("Bill Lumbergh", "bill@initech.example", "COO")
    assert contact.role is ContactRole.DECISION_MAKER
    assert contact.notes == first.notes  # the rep's notes win over the CRM's description


def test_every_email_column_of_a_csv_counts_and_is_kept(store: Store, tmp_path: Path) -> None:
    csv = "Name,Company,Work Email,Home Email\nBill Lumbergh,Initech,bill@initech.example,bill@home.example\n"
    import_contacts_csv(store, write(tmp_path, "a.csv", csv))
    contact = only_contact(store)
    assert contact.email == "bill@initech.example"
    assert contact.notes == "Other email addresses: bill@home.example"
    # Only the home address this time, and a new name: still the same person.
    again = write(tmp_path, "b.csv", "Name,Company,Email\nWilliam L.,Initech,bill@home.example\n")
    report = import_contacts_csv(store, again)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_csv_reimport_keeps_the_rep_notes(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Name,Company,Email,Notes\nBill Lumbergh,Initech,bill@initech.example,CRM text\n")
    import_contacts_csv(store, path)
    contact = only_contact(store)
    assert contact.notes == "CRM text"
    store.accounts.update_contact(contact.id, contact.version, notes="Call him after 10")
    report = import_contacts_csv(store, path)
    assert (report.updated, report.unchanged) == (0, 1)
    assert only_contact(store).notes == "Call him after 10"


def test_a_match_by_name_keeps_its_email_and_adds_the_new_one(store: Store, tmp_path: Path) -> None:
    account = store.accounts.create("Initech")
    store.accounts.add_contact(account.id, "Bill Lumbergh", email="bill@old.example", notes="Golf on Fridays")
    import_contacts_vcf(store, write(tmp_path, "a.vcf", CARD))
    contact = only_contact(store)
    assert contact.email == "bill@old.example"
    assert contact.notes == ("Golf on Fridays\nOther email addresses: bill@initech.example, bill@home.example")
    report = import_contacts_vcf(store, write(tmp_path, "a.vcf", CARD))  # nothing left to add
    assert (report.updated, report.unchanged) == (0, 1)


def test_a_contact_without_email_gets_the_first_address(store: Store) -> None:
    account = store.accounts.create("Initech")
    store.accounts.add_contact(account.id, "Bill Lumbergh")
    results, made = store.accounts.import_contacts(
        [ContactRecord(1, {"name": "bill  lumbergh", "account": "INITECH"}, ("b@x.example", "c@x.example"))]
    )
    assert (results, made) == ([(1, "updated")], 0)
    contact = only_contact(store)
    assert (contact.email, contact.notes) == ("b@x.example", "Other email addresses: c@x.example")


def test_records_of_one_file_merge_and_accounts_are_counted(store: Store) -> None:
    records = [
        ContactRecord(1, {"name": "Ann", "account": "Acme"}, ("ann@acme.example",)),
        ContactRecord(2, {"name": "Ann Smith", "account": "Acme", "title": "CFO"}, ("ANN@acme.example",)),
        ContactRecord(3, {"name": "Bob", "account": "Globex"}),
    ]
    results, made = store.accounts.import_contacts(records)
    assert (results, made) == ([(1, "created"), (2, "updated"), (3, "created")], 2)


def test_an_empty_name_is_refused(store: Store) -> None:
    from salestui.store.accounts import InvalidInput

    with pytest.raises(InvalidInput):
        store.accounts.import_contacts([ContactRecord(1, {"name": "\x1b", "account": "Acme"})])
    assert store.accounts.count() == 0  # one transaction: nothing half-written
