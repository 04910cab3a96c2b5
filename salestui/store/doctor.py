"""``salestui doctor``: check a SQLite database thoroughly, and repair what can be repaired.

Checks, in order: the file header and size, SQLite's full ``integrity_check``, the schema
revision, foreign keys (orphan rows), the full-text search index (FTS5's own
``integrity-check``, then its rows against the records it indexes) and the stats summary
(recomputed from the calls and compared). Repair rebuilds the search index and the summary and
re-attaches orphan rows to an account named "Recovered" (after a backup); a file SQLite itself
finds damaged is replaced by the newest backup *of this database* (matched by the database id
each backup carries) that passes every check, and the damaged file is kept aside. A full disk
is named as such and nothing is changed. Standard library only: a damaged file is never handed
to SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from importlib import import_module
from pathlib import Path
from types import ModuleType

from salestui.domain.clock import now
from salestui.store.integrity import check_pages, connect_ro, exclusive, header_problem, verify_backup
from salestui.store.preflight import DatabaseProblem, DiskFull, _known_revision, full_disk_error
from salestui.store.schema import HEAD, SEARCH_INDEX


@dataclass(frozen=True, slots=True)
class Finding:
    """The result of one check: what was checked, whether it passed, and the details."""

    check: str
    ok: bool
    detail: str
    repairable: bool = False
    """``--repair`` can fix this in place (rebuild or clean up) without a backup."""
    damaged: bool = False
    """The file itself is damaged: only a backup can bring it back."""


def _search_module() -> ModuleType:
    # The migration defines what the index holds; doctor recomputes it from the same description.
    return import_module("salestui.store.migrations.versions.0002_search")


def _search_sources(connection: sqlite3.Connection) -> dict[str, tuple[int, str, str, str, str]]:
    """What the index holds at this database's revision: 0002's sources, and 0005's questions once there."""
    sources = dict(_search_module().SOURCES)
    sources.update(import_module("salestui.store.migrations.versions.0005_questions").SOURCES)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {table: source for table, source in sources.items() if table in tables}


def _row_sql(source: tuple[int, str, str, str, str], row: str) -> tuple[str, str]:
    """The index row of source row ``row`` (rowid, body, call_id, account_id) and its body expression."""
    code, text, call_id, account_id, _ = source
    body = text.format(r=row)
    return f"{row}.id * 8 + {code}, {body}, {call_id.format(r=row)}, {account_id.format(r=row)}", body


def _expected_search_sql(connection: sqlite3.Connection) -> str:
    parts = []
    for table, source in _search_sources(connection).items():
        values, body = _row_sql(source, "r")
        parts.append(f"SELECT {values} FROM \"{table}\" AS r WHERE trim({body}) <> ''")
    return " UNION ALL ".join(parts)


def _expected_triggers(connection: sqlite3.Connection) -> set[str]:
    return {f"search_{table}_{suffix}" for table in _search_sources(connection) for suffix in ("ai", "ad", "au")}


def diagnose(path: Path, in_use: bool = False) -> list[Finding]:
    """Run every check on ``path``; raise ``DatabaseProblem`` when it cannot be checked at all.

    ``in_use``: this process has the database open (the app's palette), so the file is read
    through SQLite only; the header check, which reads it directly, is left to the CLI.
    """
    if not path.is_file():
        raise DatabaseProblem(f"There is no database file at {path}.")
    findings = []
    problem = None
    if not in_use:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise DatabaseProblem(f"{path} is not a SQLite database.")
        problem = header_problem(path)
        findings.append(
            Finding("file header and size", problem is None, problem or "consistent", damaged=bool(problem))
        )
    pages = check_pages(path, full=True, limit=10)
    findings.append(
        Finding("SQLite integrity_check", not pages, "; ".join(pages[:3]) or "every page sound", damaged=bool(pages))
    )
    if problem or pages:
        return findings  # what follows would read damaged pages
    connection = connect_ro(path)
    try:
        revision = _revision(connection)
        findings.append(_revision_finding(revision))
        if revision is None or not _known_revision(revision):
            return findings
        findings.append(_foreign_keys(connection))
        findings.append(_search_index(connection, revision, _fts_check(path)))
        if revision >= SUMMARY_SINCE:
            findings.append(_stats_summary(connection))
        if revision >= FOLLOW_UPS_SINCE:
            findings.append(_open_follow_ups(connection))
            findings.append(_held_by_day(connection))
    except sqlite3.DatabaseError as error:
        full = full_disk_error(path, error)
        if full is not None:
            raise full from None
        findings.append(Finding("reading the tables", False, str(error), damaged=True))
    finally:
        connection.close()
    return findings


def _revision(connection: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _revision_finding(revision: str | None) -> Finding:
    if revision is None:
        return Finding("schema revision", False, "no schema revision: not a salestui database")
    if not _known_revision(revision):
        return Finding("schema revision", False, f"{revision} comes from a newer salestui: upgrade salestui")
    if revision != HEAD:
        return Finding("schema revision", True, f"{revision} (upgraded to {HEAD} the next time salestui opens it)")
    return Finding("schema revision", True, f"{revision} (current)")


def _foreign_keys(connection: sqlite3.Connection) -> Finding:
    counts: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check"):
        counts[(table, parent)] = counts.get((table, parent), 0) + 1
    if not counts:
        return Finding("foreign keys (orphan rows)", True, "every row's account, call and contact exist")
    detail = "; ".join(
        f"{n} {table} row(s) point at a missing {parent}" for (table, parent), n in sorted(counts.items())
    )
    return Finding("foreign keys (orphan rows)", False, detail, repairable=True)


_SQLITE_READONLY = 8


def _fts_check(path: Path) -> str | None:
    """FTS5's own ``integrity-check`` of the search index: what it reports, ``None`` when it passes.

    It is an INSERT as far as SQLite is concerned, so it needs a read-write connection (it writes
    nothing). A shadow table dropped or rows of ``search_fts_data`` deleted pass every query that
    only reads the index's text, yet make every edit of indexed text fail: only this finds them.
    """
    try:
        connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").fetchone() is None:
            return None  # missing altogether: reported by the caller
        connection.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", 0) or 0
        if code & 0xFF == _SQLITE_READONLY:
            return None  # a read-only file: the checks that only read still run
        full = full_disk_error(path, error)
        if full is not None:
            raise full from None
        return str(error)
    finally:
        connection.close()
    return None


def _schema_objects(connection: sqlite3.Connection) -> set[str]:
    """The names of the file's tables and triggers (what a check finds missing)."""
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")}


def _differences(connection: sqlite3.Connection, these: str, those: str) -> tuple[int, int]:
    """Rows of query ``these`` not in ``those``, and of ``those`` not in ``these`` (stored vs recomputed)."""
    first, second = connection.execute(
        f"SELECT count(*) FROM ({these} EXCEPT {those}) UNION ALL SELECT count(*) FROM ({those} EXCEPT {these})"
    ).fetchall()
    return int(first[0]), int(second[0])


def _search_index(connection: sqlite3.Connection, revision: str, fts_problem: str | None = None) -> Finding:
    name = "search index"
    if revision < "0002_search":
        return Finding(name, True, "not created yet at this schema revision")
    objects = _schema_objects(connection)
    if "search_fts" not in objects:
        return Finding(name, False, "the search index table is missing", repairable=True)
    if fts_problem is not None:
        return Finding(
            name,
            False,
            f"the index's own check fails ({fts_problem}): every edit of a note, plan or debrief fails until it is rebuilt",
            repairable=True,
        )
    problems = []
    missing_triggers = _expected_triggers(connection) - objects
    if missing_triggers:
        problems.append(f"{len(missing_triggers)} of its triggers are missing (new text would not be found)")
    expected = f"SELECT * FROM ({_expected_search_sql(connection)})"  # one operand, not a chain of UNION ALLs
    actual = "SELECT rowid AS rowid_, body, call_id, account_id FROM search_fts"
    absent, stale = _differences(connection, expected, actual)
    if absent:
        problems.append(f"{absent} record(s) missing or out of date")
    if stale:
        problems.append(f"{stale} entr(y/ies) for text that no longer exists")
    if problems:
        return Finding(name, False, "; ".join(problems), repairable=True)
    return Finding(name, True, "matches every record")


# -- stats summary (SQLite keeps the stats' counts in ``stats_summary``, kept by triggers) ----------
SUMMARY_SINCE = "0014_pending_started"
"""The revision whose summary (table, triggers, fill) doctor recomputes."""


def _summary_module() -> ModuleType:
    # The migration defines the summary and how it is filled from the calls: doctor reuses it.
    return import_module(f"salestui.store.migrations.versions.{SUMMARY_SINCE}")


def _fill_summary(connection: sqlite3.Connection) -> None:
    """Fill ``stats_summary`` (whichever one the name resolves to) from the calls, as 0014 does."""
    summary = _summary_module()
    columns = ", ".join(f"r.{c}" for c in ("id", *summary.WATCHED))
    facets = ", ".join(f"{sql} AS {name}" for name, sql in summary.LIVE.items())
    connection.execute(f"DROP TABLE IF EXISTS temp.{summary.FILL}")
    connection.execute(f"CREATE TEMP TABLE {summary.FILL} AS SELECT {columns}, {facets} FROM main.call AS r")
    connection.execute(summary._apply(f"{summary.FILL} AS r", 1, facets={name: f"r.{name}" for name in summary.LIVE}))
    connection.execute(f"DROP TABLE temp.{summary.FILL}")


_SUMMARY_ROWS = "SELECT dim, key, outcome, level, calls, debriefed FROM {} WHERE calls != 0 OR debriefed != 0"


def _stats_summary(connection: sqlite3.Connection) -> Finding:
    """Recompute the summary from the calls into a temporary copy and compare it with the stored one."""
    name = "stats summary"
    summary = _summary_module()
    objects = _schema_objects(connection)
    if summary.TABLE not in objects:
        return Finding(name, False, "the stats summary table is missing (stats cannot be shown)", repairable=True)
    problems = []
    missing = set(summary.TRIGGERS) - objects
    if missing:
        problems.append(f"{len(missing)} of its triggers are missing (new calls would not be counted)")
    ddl = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (summary.TABLE,)).fetchone()[0]
    # A temporary table of the same name shadows the stored one: 0014's fill runs unchanged on a
    # read-only connection and fills the copy.
    connection.execute(str(ddl).replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
    try:
        _fill_summary(connection)
        stored, computed = _SUMMARY_ROWS.format(f"main.{summary.TABLE}"), _SUMMARY_ROWS.format(f"temp.{summary.TABLE}")
        differ = sum(_differences(connection, stored, computed))
        held = "SELECT coalesce(sum(calls), 0) FROM {} WHERE dim = 'kind'"
        says = connection.execute(held.format(f"main.{summary.TABLE}")).fetchone()[0]
        real = connection.execute(held.format(f"temp.{summary.TABLE}")).fetchone()[0]
    finally:
        connection.execute(f"DROP TABLE temp.{summary.TABLE}")
    if differ:
        problems.append(
            f"{differ} count(s) differ from the calls (it counts {says} call(s) with an outcome, the calls say {real})"
        )
    if problems:
        return Finding(name, False, "; ".join(problems), repairable=True)
    return Finding(name, True, "matches the calls")


def _rebuild_summary(connection: sqlite3.Connection) -> str:
    summary = _summary_module()
    objects = _schema_objects(connection)
    if summary.TABLE not in objects:
        connection.execute(
            f"CREATE TABLE {summary.TABLE} (dim TEXT NOT NULL, key TEXT NOT NULL, outcome TEXT NOT NULL,"
            " level TEXT NOT NULL, calls INTEGER NOT NULL, debriefed INTEGER NOT NULL,"
            " PRIMARY KEY (dim, key, outcome, level))"
        )
    for trigger, body in summary.TRIGGERS.items():
        if trigger not in objects:
            connection.execute(f"CREATE TRIGGER {trigger} {body}")
    connection.execute(f"DELETE FROM main.{summary.TABLE}")
    _fill_summary(connection)
    held = connection.execute(f"SELECT coalesce(sum(calls), 0) FROM {summary.TABLE} WHERE dim = 'kind'").fetchone()[0]
    return f"recomputed the stats summary from the calls ({held} call(s) with an outcome)"


# -- open follow-ups (0019_speed: the calls waiting for their follow-up, kept by triggers) -----------
FOLLOW_UPS_SINCE = "0019_speed"
FOLLOW_UPS = "open follow-ups"


def _speed_module() -> ModuleType:
    return import_module(f"salestui.store.migrations.versions.{FOLLOW_UPS_SINCE}")


def _open_follow_ups(connection: sqlite3.Connection) -> Finding:
    """Compare the stored open follow-ups with the ones the calls and debriefs give now."""
    speed = _speed_module()
    objects = _schema_objects(connection)
    if speed.TABLE not in objects:
        return Finding(
            FOLLOW_UPS, False, "the table is missing (overdue follow-ups cannot be counted)", repairable=True
        )
    problems = []
    missing = set(speed.sqlite_triggers()) - objects
    if missing:
        problems.append(f"{len(missing)} of its triggers are missing (follow-ups would go stale)")
    stored = f"SELECT call_id, account_id, follow_up FROM main.{speed.TABLE}"
    computed = speed.OPEN.format(where="true")
    stale, absent = _differences(connection, stored, computed)
    if stale or absent:
        problems.append(f"{absent} call(s) waiting for a follow-up are not listed, {stale} listed call(s) are not")
    if problems:
        return Finding(FOLLOW_UPS, False, "; ".join(problems), repairable=True)
    return Finding(FOLLOW_UPS, True, "matches the calls")


def _refill_kept_table(
    connection: sqlite3.Connection, table: str, create: list[str], triggers: dict[str, str], fill: str
) -> None:
    """Put back a table that triggers keep (``create``: its DDL, run when it is missing), the
    triggers that are missing, and its rows, recomputed from the calls with ``fill``."""
    objects = _schema_objects(connection)
    if table not in objects:
        for statement in create:
            connection.execute(statement)
    for trigger, body in triggers.items():
        if trigger not in objects:
            connection.execute(f"CREATE TRIGGER {trigger} {body}")
    connection.execute(f"DELETE FROM main.{table}")
    connection.execute(fill)


def _rebuild_follow_ups(connection: sqlite3.Connection) -> str:
    speed = _speed_module()
    _refill_kept_table(
        connection, speed.TABLE, [speed.CREATE_SQLITE, *speed.INDEXES], speed.sqlite_triggers(), speed.FILL
    )
    waiting = connection.execute(f"SELECT count(*) FROM {speed.TABLE}").fetchone()[0]
    return f"recomputed the open follow-ups from the calls ({waiting} call(s) waiting for a follow-up)"


HELD = "held calls by day"


def _held_by_day(connection: sqlite3.Connection) -> Finding:
    """Compare the forecast's held-call counts by day with the counts the calls give now."""
    speed = _speed_module()
    objects = _schema_objects(connection)
    if speed.HELD not in objects:
        return Finding(HELD, False, "the table is missing (the forecast cannot be shown)", repairable=True)
    problems = []
    missing = set(speed.held_sqlite_triggers()) - objects
    if missing:
        problems.append(f"{len(missing)} of its triggers are missing (held calls would not be counted)")
    stored = (
        f"SELECT owner, day, kind, band, held, advanced, reached FROM main.{speed.HELD}"
        " WHERE held != 0 OR advanced != 0 OR reached != 0"
    )
    computed = speed.held_counts("sqlite", "main.call AS r")
    differ = sum(_differences(connection, stored, computed))
    if differ:
        problems.append(f"{differ} count(s) differ from the calls")
    if problems:
        return Finding(HELD, False, "; ".join(problems), repairable=True)
    return Finding(HELD, True, "matches the calls")


def _rebuild_held(connection: sqlite3.Connection) -> str:
    speed = _speed_module()
    _refill_kept_table(
        connection, speed.HELD, [speed.HELD_CREATE], speed.held_sqlite_triggers(), speed.HELD_FILL["sqlite"]
    )
    held = connection.execute(f"SELECT coalesce(sum(held), 0) FROM {speed.HELD}").fetchone()[0]
    return f"recomputed the held calls by day from the calls ({held} held call(s))"


def sound(findings: list[Finding]) -> bool:
    """True when every check passed."""
    return all(finding.ok for finding in findings)


# -- repair ------------------------------------------------------------------------------------
RECOVERED = "Recovered"
"""The account orphan rows are re-attached to (created by the first repair that needs it)."""


def repair(path: Path, findings: list[Finding]) -> list[str]:
    """Fix what ``findings`` report; return what was done, in plain words.

    Damage SQLite reports is repaired from the newest backup of this database that passes every
    check (the damaged file is kept aside); otherwise orphan rows are re-attached to the
    "Recovered" account, and the search index and the stats summary are rebuilt, after a backup
    of the file as it was. A full disk raises ``DiskFull`` and changes nothing.
    """
    if any(finding.damaged for finding in findings):
        return _restore_newest_good(path)
    fixable = [finding for finding in findings if not finding.ok and finding.repairable]
    if not fixable:
        return []
    from salestui.store.backup import backup, clean_stale

    clean_stale(path.parent / "backups")
    kept = backup(path, _aside(path.parent / "backups", f"{path.stem}.before-repair"))
    done = [f"kept the database as it was in {kept}"]
    checks = {finding.check for finding in fixable}
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN IMMEDIATE")
        if "foreign keys (orphan rows)" in checks:
            done += _reattach_orphans(connection)
            # Rows that moved to another account move in the index and the summary too.
            checks |= {"search index", "stats summary", FOLLOW_UPS, HELD} & {finding.check for finding in findings}
        if "search index" in checks:
            done.append(_rebuild_search(connection))
        if "stats summary" in checks:
            done.append(_rebuild_summary(connection))
        if FOLLOW_UPS in checks:
            done.append(_rebuild_follow_ups(connection))
        if HELD in checks:
            done.append(_rebuild_held(connection))
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        full = full_disk_error(path, error)
        if full is not None:
            raise full from None
        raise DatabaseProblem(f"Repair failed ({error}); the database is unchanged.") from None
    finally:
        connection.close()
    return done


def _stamp() -> str:
    return now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert(connection: sqlite3.Connection, table: str, values: dict[str, object]) -> int:
    """Insert a row giving ``values``; other required columns without a default get an empty value."""
    row = dict(values)
    for _cid, column, kind, notnull, default, pk in connection.execute(f'PRAGMA table_info("{table}")'):
        if column in row or pk or not notnull or default is not None:
            continue
        kind = str(kind).upper()
        row[column] = _stamp() if "DATE" in kind or "TIME" in kind else 0 if "INT" in kind or "BOOL" in kind else ""
    existing = {r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')}
    row = {k: v for k, v in row.items() if k in existing}
    names = ", ".join(f'"{k}"' for k in row)
    cursor = connection.execute(
        f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in row)})', tuple(row.values())
    )
    return int(cursor.lastrowid or 0)


def _owner(connection: sqlite3.Connection, calls: list[int]) -> str:
    """Whose the recovered records are: the orphan calls' rep, else the rep recorded in the file."""
    if calls:
        marks = ", ".join("?" for _ in calls)
        row = connection.execute(
            f"SELECT owner FROM call WHERE id IN ({marks}) AND owner != '' LIMIT 1", calls
        ).fetchone()
        if row:
            return str(row[0])
    row = connection.execute("SELECT value FROM setting WHERE key = 'owner'").fetchone()
    return str(row[0]) if row else ""


def _recovered_account(connection: sqlite3.Connection, owner: str) -> tuple[int, bool]:
    """The "Recovered" account's id, and whether it was created now."""
    row = connection.execute("SELECT id FROM account WHERE name = ? ORDER BY id LIMIT 1", (RECOVERED,)).fetchone()
    if row:
        return int(row[0]), False
    from salestui.store.tables import name_key

    # A new id above every id still referenced: reusing a missing account's id would silently
    # re-attach its orphans without saying so.
    highest = [connection.execute("SELECT coalesce(max(id), 0) FROM account").fetchone()[0]]
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for reference in connection.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            if reference[2] == "account":
                highest.append(
                    connection.execute(f'SELECT coalesce(max("{reference[3]}"), 0) FROM "{table}"').fetchone()[0]
                )
    stamp = _stamp()
    values: dict[str, object] = {"id": max(highest) + 1, "name": RECOVERED, "name_key": name_key(RECOVERED)}
    values["owner"] = owner
    values |= {
        "notes": "Made by `salestui doctor --repair` to hold records whose account was missing.",
        "status": "prospect",
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
    }
    return _insert(connection, "account", values), True


def _orphans(connection: sqlite3.Connection) -> list[tuple[str, int, str, str, str]]:
    """Every broken reference: (table, rowid, parent table, column, on-delete action)."""
    columns: dict[tuple[str, int], tuple[str, str]] = {}
    found = []
    for table, rowid, parent, fk in connection.execute("PRAGMA foreign_key_check").fetchall():
        if (table, fk) not in columns:
            for row in connection.execute(f'PRAGMA foreign_key_list("{table}")'):
                columns[(table, row[0])] = (row[3], str(row[6]).upper())
        column, action = columns[(table, fk)]
        found.append((table, int(rowid), parent, column, action))
    return found


def _plural(count: int, table: str) -> str:
    return f"{count} {table.replace('_', ' ')}{'' if count == 1 else ' rows' if '_' in table else 's'}"


def _per_table(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {table}" for table, n in sorted(counts.items()))


def _call_children(connection: sqlite3.Connection, calls: list[int]) -> Counter[str]:
    """How many rows of each table hang under ``calls`` (their plan, notes, debrief...)."""
    counts: Counter[str] = Counter()
    if not calls:
        return counts
    marks = ", ".join("?" for _ in calls)
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in connection.execute(f'PRAGMA foreign_key_list("{table}")'):
            if row[2] == "call" and row[3] == "call_id":
                n = connection.execute(f'SELECT count(*) FROM "{table}" WHERE call_id IN ({marks})', calls).fetchone()[
                    0
                ]
                if n:
                    counts[table] += n
    return counts


def _attendees_account(connection: sqlite3.Connection, call_id: int) -> tuple[int, str] | None:
    """The one existing account every attendee of ``call_id`` belongs to (id, name), if there is one."""
    rows = connection.execute(
        "SELECT DISTINCT a.id, a.name FROM call_contact AS cc JOIN contact AS c ON c.id = cc.contact_id"
        " JOIN account AS a ON a.id = c.account_id WHERE cc.call_id = ?",
        (call_id,),
    ).fetchall()
    return (int(rows[0][0]), str(rows[0][1])) if len(rows) == 1 else None


def _reattach_orphans(connection: sqlite3.Connection) -> list[str]:
    """Give every orphan row a parent instead of deleting it; say exactly what moved, per table.

    - a call whose account is missing goes to the account its attendees belong to, when they all
      belong to one; otherwise, like any other row whose account is missing (a contact, a note,
      a comparison), to the account "Recovered";
    - rows whose call is missing (its plan, notes, debrief) get that call back, with its old id,
      under its attendees' account or "Recovered", so they stay together;
    - a reference that may be empty (carried from, next call) is emptied; an attendee whose
      contact is gone and an import record of a missing account are removed (they hold no text).
    """
    done: list[str] = []
    orphans = _orphans(connection)
    missing_calls = sorted(
        {
            int(connection.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()[0])
            for table, rowid, parent, column, action in orphans
            if parent == "call" and action == "CASCADE"
        }
    )
    orphan_calls = [rowid for table, rowid, parent, _c, _a in orphans if table == "call" and parent == "account"]
    homes = {call: _attendees_account(connection, call) for call in [*missing_calls, *orphan_calls]}
    owner = _owner(connection, orphan_calls)
    recovered: list[int] = []

    def fallback() -> tuple[int, str]:
        if not recovered:
            account, created = _recovered_account(connection, owner)
            recovered.append(account)
            if created:
                done.append(f'created the account "{RECOVERED}" (#{account}) for records whose account was missing')
        return recovered[0], RECOVERED

    by_home: dict[tuple[int, str], list[int]] = {}
    for call_id in missing_calls:
        home = homes[call_id] or fallback()
        by_home.setdefault(home, []).append(call_id)
        stamp = _stamp()
        values: dict[str, object] = {"id": call_id, "account_id": home[0], "kind": "discovery", "status": "planned"}
        values |= {"objective": f"Recovered by salestui doctor: call #{call_id} was missing", "owner": owner}
        _insert(connection, "call", values | {"created_at": stamp, "updated_at": stamp, "version": 1})
    for (_account, name), calls in sorted(by_home.items()):
        why = "" if name == RECOVERED else " (the account of its attendees)"
        done.append(
            f'recreated {len(calls)} missing call(s) ({", ".join(f"#{c}" for c in calls)}) under "{name}"{why}'
            f" to hold their rows: {_per_table(_call_children(connection, calls))}"
        )
    moved: dict[tuple[int, str], Counter[str]] = {}
    moved_calls: dict[tuple[int, str], list[int]] = {}
    removed: Counter[str] = Counter()
    emptied: Counter[str] = Counter()
    for table, rowid, parent, column, action in _orphans(connection):
        if parent == "account" and table != "import_origin":
            home = (homes.get(rowid) if table == "call" else None) or fallback()
            connection.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (home[0], rowid))
            moved.setdefault(home, Counter())[table] += 1
            if table == "call":
                moved_calls.setdefault(home, []).append(rowid)
        elif action == "SET NULL":
            connection.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,))
            emptied[f"{table}.{column}"] += 1
        else:  # an attendee of a missing contact, an import record of a missing account
            connection.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            removed[table] += 1
    for (account, name), counts in sorted(moved.items()):
        why = "" if name == RECOVERED else " (the account of their attendees)"
        line = f'moved to the account "{name}"{why}: {_per_table(counts)}'
        children = _call_children(connection, moved_calls.get((account, name), []))
        if children:
            line += f" (the calls with their {_per_table(children)})"
        done.append(line)
    if emptied:
        done.append(f"emptied references to calls that no longer exist: {_per_table(emptied)}")
    if removed:
        done.append(f"removed links that held no text: {_per_table(removed)}")
    left = connection.execute("PRAGMA foreign_key_check").fetchall()
    if left:
        raise sqlite3.IntegrityError(f"{len(left)} orphan row(s) could not be re-attached")
    return done


def _rebuild_search(connection: sqlite3.Connection) -> str:
    """Recreate the index (a shadow table may be gone or damaged) and refill it from the records."""
    objects = _schema_objects(connection)
    # DROP works even with a shadow table missing, where DELETE and FTS5's 'rebuild' fail.
    connection.execute("DROP TABLE IF EXISTS search_fts")
    connection.execute(SEARCH_INDEX)
    for table, source in _search_sources(connection).items():
        quoted = f'"{table}"'
        code = source[0]
        new_values, new_body = _row_sql(source, "new")
        insert = f"INSERT INTO search_fts(rowid, body, call_id, account_id) SELECT {new_values} WHERE trim({new_body}) <> '';"
        delete = f"DELETE FROM search_fts WHERE rowid = old.id * 8 + {code};"
        statements = {
            f"search_{table}_ai": f"AFTER INSERT ON {quoted} BEGIN {insert} END",
            f"search_{table}_ad": f"AFTER DELETE ON {quoted} BEGIN {delete} END",
            f"search_{table}_au": f"AFTER UPDATE OF {source[4]} ON {quoted} BEGIN {delete} {insert} END",
        }
        for name, body in statements.items():
            if name not in objects:
                connection.execute(f"CREATE TRIGGER {name} {body}")
    connection.execute(
        f"INSERT INTO search_fts(rowid, body, call_id, account_id) SELECT * FROM ({_expected_search_sql(connection)})"
    )
    connection.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    connection.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
    count = connection.execute("SELECT count(*) FROM search_fts").fetchone()[0]
    return f"rebuilt the search index ({count} entries; its own check passes)"


def candidates(path: Path) -> list[tuple[Path, str]]:
    """Backups of ``path`` that could replace it, newest first, each with how it was matched.

    ``backups/`` and the copies kept beside the database; another database's backups (another
    database id, or no id and another file name) are never offered. ``"id"``: it carries this
    database's id; ``"name"``: one of the two has no readable id, matched by file name;
    ``"unreadable"``: a file that cannot be read at all (listed so that it is named as failing).
    """
    from salestui.store.backup import belongs, database_id

    own_id = database_id(path)
    found = (
        [p for p in (path.parent / "backups").glob("*.db") if p.is_file()] if (path.parent / "backups").is_dir() else []
    )
    found += [p for p in path.parent.glob(f"{path.stem}.before-restore-*.db") if p.is_file()]
    found += [p for p in path.parent.glob(f"{path.name}.before-*.bak") if p.is_file()]
    matched = [(p, how) for p in found if p != path and (how := belongs(path, p, own_id)) is not None]
    return sorted(matched, key=lambda item: item[0].stat().st_mtime, reverse=True)


def _restore_newest_good(path: Path) -> list[str]:
    from salestui.store.backup import database_id

    rejected = []
    for candidate, how in candidates(path):
        try:
            verify_backup(candidate)
        except DiskFull:
            raise
        except DatabaseProblem:
            rejected.append(candidate.name)
            continue
        aside = _replace(path, candidate)
        done = [f"kept the damaged file as {aside}", f"restored {candidate}"]
        if how == "name":
            why = (
                "the damaged file's own database id could not be read"
                if database_id(aside) is None
                else "that backup has no database id (made by an older salestui)"
            )
            done.append(f"matched that backup by its file name: {why}")
        if rejected:
            done.append(f"skipped newer backup(s) that failed the check: {', '.join(rejected)}")
        return done
    where = path.parent / "backups"
    raise DatabaseProblem(
        f"{path} is damaged and no backup that passes the check was found in {where}"
        + (f" (failed: {', '.join(rejected)})" if rejected else "")
        + " (only backups of this database count: the same database id, or the same file name for backups"
        " without one); the file was left as it is."
    )


def _copy_private(source: Path, target: Path) -> None:
    """Copy bytes into a new 0600 file; on any error (a full disk) nothing is left behind."""
    import shutil

    from salestui.store.backup import private_file

    try:
        private_file(target)
        shutil.copyfile(source, target)
    except OSError:
        target.unlink(missing_ok=True)
        raise


def _replace(path: Path, good: Path) -> Path:
    """Under an exclusive lock: copy the damaged file (and its WAL) aside as bytes, then restore."""
    from salestui.store.preflight import read_only_uri

    aside = _aside(path.parent, f"{path.stem}.damaged")
    with exclusive(path) as live:
        try:
            _copy_private(path, aside)
            wal = Path(f"{path}-wal")
            if wal.exists():
                _copy_private(wal, Path(f"{aside}-wal"))
        except OSError as error:
            aside.unlink(missing_ok=True)
            raise full_disk_error(path, error) or DatabaseProblem(
                f"Could not keep the damaged file aside ({error.strerror}); nothing was changed."
            ) from None
        source = sqlite3.connect(read_only_uri(good), uri=True, timeout=5)
        try:
            source.backup(live)
        except sqlite3.Error as error:
            raise full_disk_error(path, error) or DatabaseProblem(
                f"Could not restore {good} ({error}); the damaged file is still in place."
            ) from None
        finally:
            source.close()
    return aside


def _aside(folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stem}-{stamp}.db"
    attempt = 1
    while target.exists():
        target = folder / f"{stem}-{stamp}.{attempt}.db"
        attempt += 1
    return target
