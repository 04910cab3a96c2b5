"""vCard import: real-world quirks (folding, several emails, UTF-8 names, 2.1/3.0/4.0), no duplicates on re-import."""

from __future__ import annotations

from pathlib import Path

import pytest

from salestui.io.vcard import VCardError, import_contacts_vcf, logical_lines, parse_cards
from salestui.store.core import Store

# An iPhone / macOS Contacts style 3.0 card: folded lines, item groups, type=pref, escaped commas.
V3 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
    "N:Müller;Jürgen;;Dr.;\r\n"
    "FN:Dr. Jürgen Müller\r\n"
    "ORG:Initech;Research & Development\r\n"
    "TITLE:Head of Platform\r\n"
    "  Engineering\r\n"
    "item1.EMAIL;type=INTERNET;type=WORK:juergen.mueller@initech.example\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\n"
    "EMAIL;type=INTERNET;type=HOME;type=pref:jm@home.example\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+49 170 1234567\r\n"
    "TEL;type=WORK;type=VOICE:+49 30 1234\r\n"
    "NOTE:Met at the trade fair\\, Berlin.\\nLikes espresso\\; hates slides.\r\n"
    "END:VCARD\r\n"
)

# A 4.0 card (Nextcloud / Thunderbird): PREF=1, quoted TYPE list, a long folded note with a
# multi-byte character split across the fold, no N.
V4 = (
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Søren Ødegård\n"
    'EMAIL;TYPE="work,internet":soren@stark.example\n'
    "EMAIL;PREF=1:S.Odegard@Stark.example\n"
    "TEL;VALUE=uri;TYPE=work:tel:+31-10-555-0100\n"
    "ORG:Stark Logistics\n"
    "NOTE:Prefers calls before ten; the dispatch team reports to him since the reorganisation in 2\n"
    "\t025 — ask about the Rotterdam depot.\n"
    "END:VCARD\n"
)

# An old Outlook / Android 2.1 card: quoted-printable UTF-8 with a soft line break, no FN.
V21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0;=E5=A4=AA=E9=83=8E;;;\r\n"
    "ORG:Umbrella Health\r\n"
    "EMAIL;INTERNET:taro@umbrella.example\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0ASecond line that goes on and on and needs a soft=\r\n"
    " break here\r\n"
    "END:VCARD\r\n"
)

NO_ORG = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Freelance Fran\r\nEMAIL:fran@example.com\r\nEND:VCARD\r\n"


def _write(tmp_path: Path, text: str, name: str = "contacts.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _contacts(store: Store) -> dict[str, dict[str, str]]:
    out = {}
    for row in store.accounts.rows():
        for contact in store.accounts.contacts(row.id):
            out[contact.name] = {
                "account": row.name,
                "title": contact.title,
                "email": contact.email,
                "phone": contact.phone,
                "notes": contact.notes,
            }
    return out


def test_v3_folded_lines_several_emails_and_phones(store: Store, tmp_path: Path) -> None:
    report = import_contacts_vcf(store, _write(tmp_path, V3))
    assert (report.created, report.updated, report.skipped) == (1, 0, [])
    juergen = _contacts(store)["Dr. Jürgen Müller"]
    assert juergen["account"] == "Initech"  # ORG's first component is the organisation
    assert juergen["title"] == "Head of Platform Engineering"  # folded line joined
    assert juergen["email"] == "jm@home.example"  # type=pref wins
    assert juergen["phone"] == "+49 170 1234567"
    assert juergen["notes"].startswith("Met at the trade fair, Berlin.\nLikes espresso; hates slides.")
    assert "Other email addresses: juergen.mueller@initech.example" in juergen["notes"]
    assert "Other phone numbers: +49 30 1234" in juergen["notes"]


def test_v4_pref_and_utf8_split_by_a_fold(store: Store, tmp_path: Path) -> None:
    import_contacts_vcf(store, _write(tmp_path, V4))
    soren = _contacts(store)["Søren Ødegård"]
    assert soren["account"] == "Stark Logistics"
    assert soren["email"] == "S.Odegard@Stark.example"  # PREF=1
    assert soren["phone"] == "+31-10-555-0100"  # tel: URI unwrapped
    assert "since the reorganisation in 2025 — ask about the Rotterdam depot." in soren["notes"]


def test_v21_quoted_printable_and_n_without_fn(store: Store, tmp_path: Path) -> None:
    import_contacts_vcf(store, _write(tmp_path, V21))
    taro = _contacts(store)["太郎 山田"]  # given name first, built from N
    assert taro["account"] == "Umbrella Health"
    assert taro["notes"] == "First line\nSecond line that goes on and on and needs a soft break here"


def test_fn_wins_over_n() -> None:
    (card,) = parse_cards("BEGIN:VCARD\nVERSION:3.0\nN:Smith;Robert;;;\nFN:Bob Smith\nORG:X\nEND:VCARD\n")
    assert card.name == "Bob Smith"


def test_reimport_does_not_duplicate(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, V3 + V4 + V21 + NO_ORG)
    first = import_contacts_vcf(store, path)
    assert (first.created, first.updated) == (3, 0)
    assert first.skipped == [(34, "Freelance Fran: no organisation (ORG), so no account to file the contact under")]
    accounts = store.accounts.count()
    second = import_contacts_vcf(store, path)
    assert (second.created, second.updated) == (0, 0)
    assert store.accounts.count() == accounts
    assert len(_contacts(store)) == 3


def test_reimport_updates_by_email_then_by_name(store: Store, tmp_path: Path) -> None:
    import_contacts_vcf(store, _write(tmp_path, V3 + V4))
    # Renamed and retitled, same secondary email: the same contact is updated.
    changed = V3.replace("FN:Dr. Jürgen Müller", "FN:Jürgen Müller").replace(
        "TITLE:Head of Platform\r\n  Engineering", "TITLE:CTO"
    )
    # No email at all: matched by name within the account.
    no_email = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:søren ødegård\r\nORG:stark logistics\r\nTITLE:COO\r\nEND:VCARD\r\n"
    report = import_contacts_vcf(store, _write(tmp_path, changed + no_email, "again.vcf"))
    assert (report.created, report.updated) == (0, 2)
    contacts = _contacts(store)
    assert len(contacts) == 2
    assert contacts["Dr. Jürgen Müller"]["title"] == "CTO"  # the rep's name for the contact is kept
    assert contacts["Søren Ødegård"]["title"] == "COO"


def test_existing_account_is_linked_not_duplicated(store: Store, tmp_path: Path) -> None:
    store.accounts.create("INITECH")
    import_contacts_vcf(store, _write(tmp_path, V3))
    assert store.accounts.count() == 1


def test_the_rep_notes_are_not_overwritten(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, V4)
    import_contacts_vcf(store, path)
    row = store.accounts.rows()[0]
    contact = store.accounts.contacts(row.id)[0]
    store.accounts.update_contact(contact.id, contact.version, notes="My own notes")
    import_contacts_vcf(store, path)
    # The rep's notes stay; the second address they dropped is kept below them (no email is lost).
    assert store.accounts.contacts(row.id)[0].notes == "My own notes\nOther email addresses: soren@stark.example"
    assert (import_contacts_vcf(store, path).unchanged, len(_contacts(store))) == (1, 1)


def test_not_a_vcard(store: Store, tmp_path: Path) -> None:
    with pytest.raises(VCardError, match="no vCard found"):
        import_contacts_vcf(store, _write(tmp_path, "name,email\nA,a@b.c\n", "x.vcf"))


def test_windows_1252_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "outlook.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:José Núñez\r\nORG:Acme\r\nEND:VCARD\r\n".encode("cp1252"))
    import_contacts_vcf(store, path)
    assert "José Núñez" in _contacts(store)


def test_unfolding_keeps_line_numbers() -> None:
    lines = list(logical_lines("BEGIN:VCARD\r\nNOTE:a\r\n b\r\n\tc\r\nEND:VCARD\r\n"))
    assert lines[:3] == [(1, "BEGIN:VCARD"), (2, "NOTE:abc"), (5, "END:VCARD")]
