"""Accounts, contacts, research notes and competitor comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, type_coerce
from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlmodel import col, select

from salestui.domain import models as m
from salestui.domain.enums import AccountStatus, CallStatus, ContactRole, Outcome
from salestui.domain.imports import OTHER_ADDRESSES, find_contact, index_contact, known_addresses
from salestui.domain.validation import required
from salestui.store import convert
from salestui.store import tables as t
from salestui.store.scope import owner_filter
from salestui.text import entered

if TYPE_CHECKING:
    from salestui.store.core import Store


class InvalidInput(ValueError):
    """Input the store refuses, with a message for the user."""


def _required(value: str, what: str) -> str:
    problem = required(value, what)  # the rule the JSON import applies too (domain.validation)
    if problem is not None:
        raise InvalidInput(f"{problem}.")
    return entered(value).strip()  # a name of control characters only is no name


class AccountRepo:
    """Everything about accounts and the research filed under them."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- accounts -------------------------------------------------------------------------
    def create(self, name: str, **fields: Any) -> m.Account:
        """Add an account; the name is required."""
        row = t.Account(name=_required(name, "The account name"), owner=self._store.owner, **fields)
        with self._store.transaction() as session:
            session.add(row)
            session.flush()
            return convert.account(row)

    def get(self, account_id: int) -> m.Account:
        """One account by id."""
        from salestui.store.core import NotFound

        with self._store.reading() as session:
            row = session.get(t.Account, account_id)
            if row is None:
                raise NotFound("That account no longer exists.")
            return convert.account(row)

    def find_by_name(self, name: str, mine: bool = False) -> m.Account | None:
        """The account with exactly this name (case-insensitive), if any.

        ``mine``: only the rep's own account with this name as the unique index compares it
        (:func:`name_key`), else one without an owner (everyone's). In a team another rep's
        account of the same name is theirs to edit: the new-account form creates the rep's own.
        """
        if mine:
            where = [col(t.Account.owner).in_([self._store.owner, ""]), t.Account.name_key == name_key(name)]
        else:
            where = [func.lower(t.Account.name) == name.strip().lower()]
        order = (col(t.Account.owner).desc(), col(t.Account.id))  # the rep's own before an unowned one
        with self._store.reading() as session:
            row = session.exec(select(t.Account).where(*where).order_by(*order).limit(1)).first()
            return convert.account(row) if row else None

    def update(self, account_id: int, version: int | None = None, **fields: Any) -> int:
        """Save edited fields; returns the new version."""
        if "name" in fields:
            fields["name"] = _required(fields["name"], "The account name")
            fields["name_key"] = name_key(fields["name"])
        if "status" in fields:
            fields["status"] = AccountStatus(fields["status"]).value
        new_version = self._store.update_fields(t.Account, account_id, fields, version)
        assert new_version is not None
        return new_version

    def delete(self, account_id: int) -> None:
        """Delete an account with everything under it (the database cascades)."""
        self._store.delete_row(t.Account, account_id)

    def footprint(self, account_id: int) -> dict[str, int]:
        """How much goes with an account if it is deleted: contacts, notes, comparisons, calls."""
        counts: dict[str, int] = {}
        with self._store.reading() as session:
            for key, table in (
                ("contacts", t.Contact),
                ("notes", t.ResearchNote),
                ("comparisons", t.CompetitorComparison),
                ("calls", t.Call),
            ):
                query = select(func.count()).select_from(table).where(table.account_id == account_id)
                counts[key] = int(session.exec(query).one())
        return counts

    def count(self) -> int:
        """Number of accounts."""
        with self._store.reading() as session:
            return int(session.exec(select(func.count()).select_from(t.Account)).one())

    def rows(self, text: str = "", limit: int = 500) -> list[m.AccountRow]:
        """The accounts list: name, industry, status, next call, last outcome; filtered by text."""
        # Typed as the column, so the aggregate comes back as an aware datetime like the column.
        next_call = type_coerce(
            select(func.min(t.Call.scheduled_at))
            .where(t.Call.account_id == t.Account.id, t.Call.status == CallStatus.PLANNED.value)
            .correlate(t.Account)
            .scalar_subquery(),
            t.UTCDateTime(),
        )
        last_outcome = (
            select(t.Call.outcome)
            .where(t.Call.account_id == t.Account.id, col(t.Call.outcome).is_not(None))
            .order_by(col(t.Call.scheduled_at).desc())
            .limit(1)
            .correlate(t.Account)
            .scalar_subquery()
        )
        query = select(  # type: ignore[call-overload]  # sqlmodel's overloads stop at six columns
            t.Account.id, t.Account.name, t.Account.industry, t.Account.status, next_call, last_outcome, t.Account.owner
        )
        query = owner_filter(query, self._store, t.Account.owner)
        for word in text.split():
            pattern = f"%{word.lower()}%"
            query = query.where(
                or_(func.lower(t.Account.name).like(pattern), func.lower(t.Account.industry).like(pattern))
            )
        query = query.order_by(func.lower(t.Account.name)).limit(limit)
        with self._store.reading() as session:
            result = session.execute(query).all()
        return [
            m.AccountRow(
                id=row[0],
                name=row[1],
                industry=row[2],
                status=AccountStatus(row[3]),
                next_call_at=row[4],
                last_outcome=Outcome(row[5]) if row[5] else None,
                owner=row[6],
            )
            for row in result
        ]

    # -- contacts -------------------------------------------------------------------------
    def contacts(self, account_id: int) -> list[m.Contact]:
        """Contacts of an account, by name."""
        with self._store.reading() as session:
            rows = session.exec(
                select(t.Contact).where(t.Contact.account_id == account_id).order_by(func.lower(t.Contact.name))
            ).all()
            return [convert.contact(r) for r in rows]

    def add_contact(self, account_id: int, name: str, **fields: Any) -> m.Contact:
        """Add a contact to an account; the name is required."""
        row = t.Contact(account_id=account_id, name=_required(name, "The contact's name"), **fields)
        with self._store.transaction() as session:
            session.add(row)
            session.flush()
            return convert.contact(row)

    def update_contact(self, contact_id: int, version: int | None = None, **fields: Any) -> int:
        """Save edited contact fields; returns the new version."""
        if "name" in fields:
            fields["name"] = _required(fields["name"], "The contact's name")
        new_version = self._store.update_fields(t.Contact, contact_id, fields, version)
        assert new_version is not None
        return new_version

    def delete_contact(self, contact_id: int) -> None:
        """Remove a contact."""
        self._delete(t.Contact, contact_id)

    # -- research notes ---------------------------------------------------------------------
    def notes(self, account_id: int) -> list[m.ResearchNote]:
        """Research notes of an account, by category then age."""
        with self._store.reading() as session:
            rows = session.exec(
                select(t.ResearchNote)
                .where(t.ResearchNote.account_id == account_id)
                .order_by(t.ResearchNote.category, t.ResearchNote.id)
            ).all()
            return [convert.research_note(r) for r in rows]

    def add_note(self, account_id: int, category: str, body: str = "", source: str = "") -> m.ResearchNote:
        """File a research note."""
        row = t.ResearchNote(account_id=account_id, category=category, body=body, source=source)
        with self._store.transaction() as session:
            session.add(row)
            session.flush()
            return convert.research_note(row)

    def update_note(self, note_id: int, version: int | None = None, **fields: Any) -> int:
        """Save edited note fields; returns the new version."""
        new_version = self._store.update_fields(t.ResearchNote, note_id, fields, version)
        assert new_version is not None
        return new_version

    def delete_note(self, note_id: int) -> None:
        """Remove a research note."""
        self._delete(t.ResearchNote, note_id)

    # -- competitor comparisons ----------------------------------------------------------------
    def comparisons(self, account_id: int) -> list[m.Comparison]:
        """Competitor comparisons of an account."""
        with self._store.reading() as session:
            rows = session.exec(
                select(t.CompetitorComparison)
                .where(t.CompetitorComparison.account_id == account_id)
                .order_by(t.CompetitorComparison.id)
            ).all()
            return [convert.comparison(r) for r in rows]

    def add_comparison(self, account_id: int, competitor: str, **fields: Any) -> m.Comparison:
        """Compare our offer with a named competitor."""
        row = t.CompetitorComparison(
            account_id=account_id, competitor=_required(competitor, "The competitor's name"), **fields
        )
        with self._store.transaction() as session:
            session.add(row)
            session.flush()
            return convert.comparison(row)

    def update_comparison(self, comparison_id: int, version: int | None = None, **fields: Any) -> int:
        """Save edited comparison fields; returns the new version."""
        new_version = self._store.update_fields(t.CompetitorComparison, comparison_id, fields, version)
        assert new_version is not None
        return new_version

    def delete_comparison(self, comparison_id: int) -> None:
        """Remove a competitor comparison."""
        self._delete(t.CompetitorComparison, comparison_id)

    # -- imports (CSV, vCard) --------------------------------------------------------------------
    def import_accounts(self, records: Iterable[tuple[int, Mapping[str, str]]]) -> AccountImport:
        """Create or update accounts from imported rows, all in ONE transaction, ``IMPORT_BATCH`` at a time.

        ``records`` are (line, fields) with a non-empty ``name``, read lazily: rows are written in
        batches as they come, so a large file never sits in memory as objects. An account with the
        same name (:func:`name_key`) is updated field by field (``domain.imports.merge_imported``):
        empty fields are filled, fields still holding what the last import wrote follow the file,
        and text the rep changed since is kept (``import_origin`` records what each import wrote).
        """
        result = AccountImport()
        with self._store.transaction() as session:
            mine = self._importable(select(col(t.Account.id), col(t.Account.name)))
            known = {name_key(name): account_id for account_id, name in session.execute(mine).all()}
            batch: list[tuple[int, Mapping[str, str]]] = []
            for record in records:
                batch.append(record)
                if len(batch) >= IMPORT_BATCH:
                    self._import_account_batch(session, batch, known, result)
                    batch = []
            if batch:
                self._import_account_batch(session, batch, known, result)
        return result

    def _import_account_batch(
        self,
        session: Any,
        batch: Sequence[tuple[int, Mapping[str, str]]],
        known: dict[str, int],
        result: AccountImport,
    ) -> None:
        """Write one batch, then let go of it: memory stays flat however long the file.

        New accounts go in as one multi-row insert of plain values (building an ORM object per
        row cost more than the rest of the import together).
        """
        from salestui.domain.clock import now
        from salestui.domain.imports import merge_imported

        ids = {known[key] for key in (name_key(fields.get("name", "")) for _, fields in batch) if key in known}
        rows: dict[int, t.Account] = {}
        origins: dict[int, dict[str, str]] = {}
        if ids:
            query = select(t.Account).where(col(t.Account.id).in_(ids))
            rows = {row.id: row for row in session.exec(query).all() if row.id is not None}
            recorded = _ORIGIN_TABLE.c
            origin_query = sa_select(recorded.account_id, recorded.field, recorded.value)
            for account_id, name, value in session.execute(origin_query.where(recorded.account_id.in_(ids))):
                origins.setdefault(account_id, {})[name] = value
        # Name key -> (existing row, or the values of a new one; what the imports wrote into it).
        touched: dict[str, tuple[t.Account | dict[str, Any], dict[str, str]]] = {}
        creating: dict[str, int] = {}  # name key -> its "created" entry in the results
        stamp = now()
        for line, fields in batch:
            name = _required(fields.get("name", ""), "The account name")
            key = name_key(name)
            values = t.as_stored(t.Account, {k: v for k, v in fields.items() if k in _ACCOUNT_IMPORT_FIELDS and v})
            values.pop("name", None)
            if "status" in values:
                values["status"] = AccountStatus(values["status"]).value
            if key not in touched and key in known and known[key] in rows:
                account_id = known[key]
                touched[key] = (rows[account_id], dict(origins.get(account_id, {})))
            if key not in touched:
                new = {**_NEW_ACCOUNT, **values, "name": name, "owner": self._store.owner}
                touched[key] = ({**new, "created_at": stamp, "updated_at": stamp}, dict(values))
                creating[key] = len(result.results)
                result.results.append((line, "created"))
                continue
            target, origin = touched[key]
            if isinstance(target, dict):
                current = {k: target[k] for k in values}
            else:
                current = {k: getattr(target, k) for k in values}
            merge = merge_imported(current, values, origin, _ACCOUNT_DEFAULTS)
            origin.update(merge.imported)
            if merge.kept:
                result.kept.append((line, name if isinstance(target, dict) else target.name, merge.kept))
            if isinstance(target, dict):
                changed = any(target[k] != v for k, v in merge.write.items())
                target.update(merge.write)
            else:
                changed = _apply(target, merge.write)
            result.results.append((line, "updated" if changed else "unchanged"))
        session.flush()
        created = [(key, target) for key, (target, _) in touched.items() if isinstance(target, dict)]
        raced: set[str] = set()
        if created:
            ids, inserted = self._insert_accounts(session, [values for _, values in created])
            known.update(ids)
            raced = {key for key, _ in created} - inserted
            for key in raced:  # a concurrent import made it first: this one changed nothing
                line, _status = result.results[creating[key]]
                result.results[creating[key]] = (line, "unchanged")
        done: dict[int, dict[str, str]] = {}  # the accounts whose record of what was imported changed
        for key, (target, written) in touched.items():
            if not isinstance(target, dict):
                assert target.id is not None
                session.expunge(target)
            if key not in raced and written != origins.get(known[key], {}):
                done[known[key]] = written
        connection = session.connection()
        if done:
            connection.execute(_ORIGIN_TABLE.delete().where(_ORIGIN_TABLE.c.account_id.in_(list(done))))
        origin_rows = [
            {"account_id": account_id, "field": name, "value": value}
            for account_id, origin in done.items()
            for name, value in origin.items()
        ]
        if origin_rows:
            # An upsert: a concurrent import of the same file may have recorded these fields already.
            statement = self._insert(_ORIGIN_TABLE)
            statement = statement.on_conflict_do_update(
                index_elements=["account_id", "field"], set_={"value": statement.excluded.value}
            )
            connection.execute(statement, origin_rows)

    def _importable(self, query: Any) -> Any:
        """Accounts an import may match and update: on a team database only the rep's own (another
        rep's account of the same name is left alone, the rep gets one of their own); every
        account on a single-rep SQLite file."""
        if self._store.engine.dialect.name == "sqlite":
            return query
        return query.where(t.Account.owner == self._store.owner)

    def _insert(self, table: Any) -> Any:
        """An ``INSERT`` with ``ON CONFLICT`` clauses, in the dialect of the open database."""
        if self._store.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def _insert_accounts(self, session: Any, rows: list[dict[str, Any]]) -> tuple[dict[str, int], set[str]]:
        """Insert new accounts in one multi-row statement: their ids by name key, and the keys inserted.

        ``INSERT ... ON CONFLICT (owner, name_key) DO NOTHING``: an account that a concurrent import
        made first is not made twice; its id is read back instead (plain Core on the session's
        connection: the ORM's per-row path was slower than the rest of the import together).
        """
        for row in rows:
            row["name_key"] = name_key(row["name"])
        columns = _ACCOUNT_TABLE.c
        statement = (
            self._insert(_ACCOUNT_TABLE)
            .on_conflict_do_nothing(index_elements=["owner", "name_key"], index_where=sql_text(t.NAME_KEYED))
            .returning(columns.id, columns.name_key)
        )
        connection = session.connection()
        ids = {key: account_id for account_id, key in connection.execute(statement, rows)}
        inserted = set(ids)
        raced = [row["name_key"] for row in rows if row["name_key"] not in ids]
        if raced:
            query = sa_select(columns.id, columns.name_key).where(
                columns.owner == self._store.owner, columns.name_key.in_(raced)
            )
            ids.update({key: account_id for account_id, key in connection.execute(query)})
        return ids, inserted

    def import_contacts(
        self, records: Iterable[ContactRecord], progress: Callable[[int, int], None] | None = None
    ) -> tuple[list[tuple[int, str]], int]:
        """Create or update contacts from a CSV export or a vCard file, all in ONE transaction.

        The one matching rule of every contact import. Each record's ``account`` names its
        account (matched by :func:`name_key`, created when missing). A record matches an existing
        contact by ANY of its email addresses (case-insensitive), else by name within the account.
        A match keeps its name, its email address and the rep's notes, and takes the record's
        non-empty title, role and phone. No address is lost: a contact without an email gets the
        record's first; every other address it does not hold yet is added to its notes under
        "Other email addresses". Notes from the file fill only empty notes.

        ``records`` may be a generator: they are written ``IMPORT_BATCH`` at a time, and only ids
        and match keys stay in memory between batches. Returns (line, "created" | "updated" |
        "unchanged") per record and the number of accounts created on the way.
        """
        total = len(records) if isinstance(records, Sized) else 0
        index = _ContactIndex()
        with self._store.transaction() as session:
            mine = self._importable(select(col(t.Account.id), col(t.Account.name)))
            index.accounts = {name_key(name): account_id for account_id, name in session.execute(mine).all()}
            contacts = _CONTACT_TABLE.c
            query = sa_select(contacts.id, contacts.account_id, contacts.name, contacts.email, contacts.notes)
            if self._store.engine.dialect.name != "sqlite":
                # A team database: only the rep's own contacts are matched (and updated).
                query = query.join(_ACCOUNT_TABLE, _ACCOUNT_TABLE.c.id == contacts.account_id).where(
                    _ACCOUNT_TABLE.c.owner == self._store.owner
                )
            query = query.order_by(contacts.id).execution_options(yield_per=2000)
            for contact_id, account_id, name, email, text in session.execute(query):
                index_contact(index.by_email, index.by_name, contact_id, account_id, name, email, text)
            batch: list[ContactRecord] = []
            done = 0
            for record in records:
                batch.append(record)
                if len(batch) >= IMPORT_BATCH:
                    self._import_contact_batch(session, batch, index)
                    done += len(batch)
                    batch = []
                    if progress is not None:
                        progress(done, max(total, done))
            if batch:
                self._import_contact_batch(session, batch, index)
                done += len(batch)
            if progress is not None and done:
                progress(done, max(total, done))
        return index.results, index.accounts_created

    def _import_contact_batch(self, session: Any, batch: Sequence[ContactRecord], index: _ContactIndex) -> None:
        """Write one batch of contact records; the rows it loaded or made are let go of after.

        New contacts are flushed together at the end of the batch (one multi-row insert); until
        then the index points at the new row itself, so a later record of the batch finds it.
        """
        wanted: set[int] = set()
        for record in batch:
            wanted |= {i for e in _addresses(record.emails) if isinstance(i := index.by_email.get(e.lower()), int)}
            account_id = index.accounts.get(name_key(record.fields.get("account", "")))
            known = index.by_name.get((account_id, name_key(record.fields.get("name", "")))) if account_id else None
            if isinstance(known, int):
                wanted.add(known)
        self._add_missing_accounts(session, batch, index)
        loaded: dict[int, t.Contact] = {}
        if wanted:
            query = select(t.Contact).where(col(t.Contact.id).in_(wanted))
            loaded = {row.id: row for row in session.exec(query).all() if row.id is not None}
        made: list[t.Contact] = []
        refs: list[tuple[dict[Any, int | t.Contact], Any, t.Contact]] = []  # index entries to a new row
        for record in batch:
            name = _required(record.fields.get("name", ""), "The contact's name")
            account_name = _required(record.fields.get("account", ""), "The contact's account")
            account_id = index.accounts[name_key(account_name)]
            emails = _addresses(record.emails)
            values = t.as_stored(
                t.Contact, {k: v for k, v in record.fields.items() if k in _CONTACT_IMPORT_FIELDS and v}
            )
            if "role" in values:
                values["role"] = ContactRole(values["role"]).value
            found = find_contact(index.by_email, index.by_name, account_id, name, emails)  # the one rule
            row = found if isinstance(found, t.Contact) else loaded.get(found) if found is not None else None
            if row is None:
                email = emails[0] if emails else ""
                notes = _with_addresses(values.pop("notes", ""), email, emails)
                row = t.Contact(account_id=account_id, name=name, email=email, notes=notes, **values)
                session.add(row)
                made.append(row)
                index.results.append((record.line, "created"))
            else:
                email = row.email.strip() or (emails[0] if emails else "")
                notes = row.notes if row.notes.strip() else values.get("notes", "")
                values.update(email=email, notes=_with_addresses(notes, email, emails))
                index.results.append((record.line, "updated" if _apply(row, values) else "unchanged"))
            ref: int | t.Contact = row.id if row.id is not None else row
            for address in emails:
                if address.lower() not in index.by_email:
                    index.by_email[address.lower()] = ref
                    refs.append((index.by_email, address.lower(), row))
            index.by_name[(row.account_id, name_key(row.name))] = ref
            refs.append((index.by_name, (row.account_id, name_key(row.name)), row))
        session.flush()
        for table, key, row in refs:
            if table.get(key) is row:
                assert row.id is not None
                table[key] = row.id
        for row in [*loaded.values(), *made]:
            session.expunge(row)

    def _add_missing_accounts(self, session: Any, batch: Sequence[ContactRecord], index: _ContactIndex) -> None:
        """Create the accounts this batch names that do not exist yet, in one multi-row insert."""
        from salestui.domain.clock import now

        missing: dict[str, str] = {}
        for record in batch:
            account_name = _required(record.fields.get("account", ""), "The contact's account")
            if name_key(account_name) not in index.accounts:
                missing.setdefault(name_key(account_name), account_name)
        if not missing:
            return
        stamp = now()
        rows = [
            {**_NEW_ACCOUNT, "name": name, "owner": self._store.owner, "created_at": stamp, "updated_at": stamp}
            for name in missing.values()
        ]
        ids, inserted = self._insert_accounts(session, rows)
        index.accounts.update(ids)
        index.accounts_created += len(inserted)

    def _delete(self, table: type[Any], row_id: int) -> None:
        self._store.delete_row(table, row_id)


_ACCOUNT_IMPORT_FIELDS = frozenset({"name", "industry", "status", "website", "phone", "city", "notes"})
_ACCOUNT_DEFAULTS = {"status": AccountStatus.PROSPECT.value}
_ACCOUNT_TABLE: Any = t.Account.__table__  # type: ignore[attr-defined]
_ORIGIN_TABLE: Any = t.ImportOrigin.__table__  # type: ignore[attr-defined]
_CONTACT_TABLE: Any = t.Contact.__table__  # type: ignore[attr-defined]
#: A new account's columns before the file's values (a Core insert applies no model defaults).
_NEW_ACCOUNT: dict[str, Any] = {
    "industry": "",
    "status": AccountStatus.PROSPECT.value,
    "website": "",
    "phone": "",
    "city": "",
    "notes": "",
    "version": 1,
}

#: Rows an import writes (and flushes) at a time inside its one transaction.
IMPORT_BATCH = 500


@dataclass
class AccountImport:
    """What an account import did: (line, "created" | "updated" | "unchanged") per row, and the
    fields it left alone because the rep had changed them: (line, account name, fields)."""

    results: list[tuple[int, str]] = field(default_factory=list)
    kept: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)


_CONTACT_IMPORT_FIELDS = frozenset({"title", "role", "phone", "notes"})


@dataclass
class _ContactIndex:
    """What a contact import keeps between batches: ids by match key, and its results."""

    accounts: dict[str, int] = field(default_factory=dict)
    by_email: dict[str, int | t.Contact] = field(default_factory=dict)
    """Address -> contact id (or, within a batch, the new row not yet flushed)."""
    by_name: dict[tuple[int, str], int | t.Contact] = field(default_factory=dict)
    """(account id, name key) -> contact id (or the new row)."""
    results: list[tuple[int, str]] = field(default_factory=list)
    accounts_created: int = 0


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A contact read from a file: ``fields`` (``name``, ``account`` name, and any of title, role,
    phone, notes), every email address it is known by (the preferred first), and its line."""

    line: int
    fields: Mapping[str, str]
    emails: tuple[str, ...] = ()


def name_key(name: str) -> str:
    """Names match case-insensitively and regardless of repeated spaces (stored as ``account.name_key``)."""
    return t.name_key(name)


def _addresses(emails: Sequence[str]) -> list[str]:
    """Email addresses as stored (clean, stripped), without repeats, in their order."""
    seen: set[str] = set()
    out = []
    for raw in emails:
        address = entered(raw).strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def _with_addresses(notes: str, email: str, emails: Sequence[str]) -> str:
    """``notes`` plus a line listing the ``emails`` the contact is not known by yet."""
    known = set(known_addresses(email, notes))
    other = [address for address in emails if address.lower() not in known]
    if not other:
        return notes
    line = OTHER_ADDRESSES + " " + ", ".join(other)
    return f"{notes}\n{line}" if notes.strip() else line


def _apply(row: Any, values: Mapping[str, str]) -> bool:
    """Copy changed values onto a row; bump its version so open editors notice. True if changed."""
    from salestui.domain.clock import now

    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        row.version += 1
        row.updated_at = now()
    return changed
