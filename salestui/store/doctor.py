"""``salestui doctor``: check a SQLite database thoroughly, and repair what can be repaired.

Checks, in order: the file header and size, SQLite's full ``integrity_check``, the schema
revision, foreign keys (orphan rows), and the full-text search index against the rows it
indexes. Repair rebuilds the search index and removes orphan rows (after a backup); a file
SQLite itself finds damaged is replaced by the newest backup that passes every check, and the
damaged file is kept aside. Standard library only: a damaged file is never handed to SQLAlchemy.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

from salestui.domain.clock import now
from salestui.store.integrity import check_pages, connect_ro, exclusive, header_problem, verify_backup
from salestui.store.preflight import DatabaseProblem, _known_revision
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
        findings.append(_search_index(connection, revision))
    except sqlite3.DatabaseError as error:
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


def _search_index(connection: sqlite3.Connection, revision: str) -> Finding:
    name = "search index"
    if revision < "0002_search":
        return Finding(name, True, "not created yet at this schema revision")
    objects = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")}
    if "search_fts" not in objects:
        return Finding(name, False, "the search index table is missing", repairable=True)
    problems = []
    missing_triggers = _expected_triggers(connection) - objects
    if missing_triggers:
        problems.append(f"{len(missing_triggers)} of its triggers are missing (new text would not be found)")
    expected = f"SELECT * FROM ({_expected_search_sql(connection)})"  # one operand, not a chain of UNION ALLs
    actual = "SELECT rowid AS rowid_, body, call_id, account_id FROM search_fts"
    absent = connection.execute(f"SELECT count(*) FROM ({expected} EXCEPT {actual})").fetchone()[0]
    stale = connection.execute(f"SELECT count(*) FROM ({actual} EXCEPT {expected})").fetchone()[0]
    if absent:
        problems.append(f"{absent} record(s) missing or out of date")
    if stale:
        problems.append(f"{stale} entr(y/ies) for text that no longer exists")
    if problems:
        return Finding(name, False, "; ".join(problems), repairable=True)
    return Finding(name, True, "matches every record")


def sound(findings: list[Finding]) -> bool:
    """True when every check passed."""
    return all(finding.ok for finding in findings)


# -- repair ------------------------------------------------------------------------------------
def repair(path: Path, findings: list[Finding]) -> list[str]:
    """Fix what ``findings`` report; return what was done, in plain words.

    Damage SQLite reports is repaired from the newest backup that passes every check (the
    damaged file is kept aside); otherwise the search index is rebuilt and orphan rows removed,
    after a backup of the file as it was.
    """
    if any(finding.damaged for finding in findings):
        return _restore_newest_good(path)
    fixable = [finding for finding in findings if not finding.ok and finding.repairable]
    if not fixable:
        return []
    from salestui.store.backup import backup

    kept = backup(path, _aside(path.parent / "backups", f"{path.stem}.before-repair"))
    done = [f"kept the database as it was in {kept}"]
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN IMMEDIATE")
        for finding in fixable:
            if finding.check.startswith("foreign keys"):
                done.append(_remove_orphans(connection))
            elif finding.check == "search index":
                done.append(_rebuild_search(connection))
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise DatabaseProblem(f"Repair failed ({error}); the database is unchanged.") from None
    finally:
        connection.close()
    return done


def _remove_orphans(connection: sqlite3.Connection) -> str:
    # Repeat: removing an orphan call makes its checklist, notes and objections orphans too
    # (cascades fire only from a parent's own delete).
    removed = 0
    while True:
        rows = connection.execute("PRAGMA foreign_key_check").fetchall()
        if not rows:
            return f"removed {removed} orphan row(s) no screen could show"
        for table, rowid, _parent, _fk in rows:
            connection.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            removed += 1


def _rebuild_search(connection: sqlite3.Connection) -> str:
    objects = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table','trigger')")}
    if "search_fts" not in objects:
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
    connection.execute("DELETE FROM search_fts")
    connection.execute(
        f"INSERT INTO search_fts(rowid, body, call_id, account_id) SELECT * FROM ({_expected_search_sql(connection)})"
    )
    connection.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    count = connection.execute("SELECT count(*) FROM search_fts").fetchone()[0]
    return f"rebuilt the search index ({count} entries)"


def candidates(path: Path) -> list[Path]:
    """Backups that could replace ``path``, newest first: ``backups/`` and the copies kept beside it."""
    found = [p for p in (path.parent / "backups").glob("*.db") if p.is_file()]
    found += [p for p in path.parent.glob(f"{path.stem}.before-restore-*.db") if p.is_file()]
    found += [p for p in path.parent.glob(f"{path.name}.before-*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _restore_newest_good(path: Path) -> list[str]:
    rejected = []
    for candidate in candidates(path):
        try:
            verify_backup(candidate)
        except DatabaseProblem:
            rejected.append(candidate.name)
            continue
        aside = _replace(path, candidate)
        done = [f"kept the damaged file as {aside}", f"restored {candidate}"]
        if rejected:
            done.append(f"skipped newer backup(s) that failed the check: {', '.join(rejected)}")
        return done
    where = path.parent / "backups"
    raise DatabaseProblem(
        f"{path} is damaged and no backup that passes the check was found in {where}"
        + (f" (failed: {', '.join(rejected)})" if rejected else "")
        + "; the file was left as it is."
    )


def _replace(path: Path, good: Path) -> Path:
    """Under an exclusive lock: copy the damaged file (and its WAL) aside as bytes, then restore."""
    aside = _aside(path.parent, f"{path.stem}.damaged")
    with exclusive(path) as live:
        shutil.copyfile(path, aside)
        aside.chmod(0o600)
        wal = Path(f"{path}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{aside}-wal")
            Path(f"{aside}-wal").chmod(0o600)
        source = sqlite3.connect(f"file:{good}?mode=ro", uri=True, timeout=5)
        try:
            source.backup(live)
        except sqlite3.Error as error:
            raise DatabaseProblem(f"Could not restore {good} ({error}); the damaged file is still in place.") from None
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
