"""Generate a realistic salestui database of N calls fast (SQLite: executemany; PostgreSQL: COPY).

    python -m bench.generate --calls 100000 --db /tmp/bench-100k.db
    python -m bench.generate --calls 100000 --db postgresql+psycopg://…/empty_database

Accounts, contacts, research notes, calls with plans (checklist, objections, the advance
ladder), in-call notes, outcomes and debriefs of realistic length. Better prepared calls end in
an advance more often, so the stats have something to show. Deterministic for a given seed.
On SQLite the search index and the summaries are filled by their triggers as rows go in; on
PostgreSQL the triggers are off during the load and each is filled after it in one statement.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from salestui.domain.checklist import DEFAULT_TEMPLATE

CALLS_PER_ACCOUNT = 40
BATCH = 2000

COMPANIES = [
    "Initech",
    "Globex",
    "Hooli",
    "Umbrella",
    "Stark",
    "Wayne",
    "Acme",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Oscorp",
    "Vandelay",
    "Pied",
    "Massive",
    "Dunder",
    "Nakatomi",
    "Gringotts",
    "Monarch",
    "Aperture",
    "Black",
    "Mesa",
    "Zorg",
    "Duff",
    "Krusty",
    "Prestige",
    "Sirius",
    "Virtucon",
    "Weyland",
    "Müller",
    "Société",
    "Générale",
    "Café",
    "Olé",
    "Škoda",
    "Łódź",
    "Zürich",
]
SUFFIXES = ("Inc", "Logistics", "Health", "Retail", "Manufacturing", "Software", "Foods", "Bank", "Energy", "Labs")
INDUSTRIES = ("Software", "Manufacturing", "Healthcare", "Logistics", "Retail", "Finance", "Energy", "Food")
CITIES = ("Austin", "Dayton", "Lyon", "München", "São Paulo", "Kraków", "Leeds", "Osaka")
FIRST = ("Dana", "Raj", "Lena", "Tom", "Alice", "Bill", "Peter", "Joanna", "José", "Zoë", "Chloé", "Björn")
LAST = ("Whitfield", "Patel", "Ortiz", "Lee", "Abernathy", "Lumbergh", "Gibbons", "Park", "Núñez", "Dvořák")
TITLES = ("CFO", "Plant manager", "Procurement", "IT lead", "VP Operations", "CMO", "Head of stores")
ROLES = ("decision_maker", "champion", "influencer", "technical", "user", "other")
KINDS = ("discovery", "demo", "proposal", "negotiation", "check_in", "other")
OBJECTIVES = (
    "Learn how {topic} is handled at {site}",
    "Present the phase-one proposal for {topic}",
    "Agree the scope of the {topic} pilot",
    "On-site demo of {topic} for the {people}",
    "Pricing review for {topic} with the CFO",
    "Find out who owns {topic} and the budget",
    "Quarterly check-in on {topic} adoption",
)
TOPICS = (
    "downtime reporting",
    "patient intake",
    "route planning",
    "store operations",
    "invoice approval",
    "shift handover",
    "quality audits",
    "réception des commandes",
    "supplier onboarding",
    "field service",
)
SITES = ("both plants", "the head office", "three clinics", "the north depot", "all stores")
PEOPLE = ("plant managers", "store managers", "clinic leads", "dispatchers", "finance team")
GOALS = (
    "Quantify hours lost per month",
    "Name the budget owner",
    "Verbal yes on scope and price",
    "Two pains with numbers",
    "Agree price within 10% of list",
    "Scope signed off for 2 depots",
)
ADVANCES = (
    "CFO joins a 30-minute pricing review on the 14th",
    "Agrees to a 30-day pilot with 5 users, starting Monday",
    "IT lead sends the current vendor's contract terms by Friday",
    "Introduces us to procurement this week",
    "Books an on-site demo for the plant managers",
    "Agrees to be a reference call for Initech",
    "Signs the order form for phase one",
    "Agrees to a 20-minute call with their technical lead",
)
OBJECTIONS = (
    ("It's too expensive", "Reframe on the cost of downtime; phase the rollout"),
    ("Not this quarter", "Find the event that forces the timing; agree a small step now"),
    ("We already use Globex Flow", "Ask what it does not do for them; offer a side-by-side pilot"),
    ("I need to check with my boss", "Ask to include the boss in the next step"),
    ("What if it fails?", "Pilot with exit criteria; references from similar customers"),
    ("We're fine as we are", "Go back to the problem questions; maybe not a deal now"),
)
NOTES = (
    "Opened with their downtime numbers; good energy.",
    "CFO dropped in for ten minutes and asked about the price per seat.",
    "They compared us with Globex twice; the audit trail landed well.",
    "Champion wants a one-pager for the steering committee.",
    "Procurement needs three quotes before anything is signed.",
    "Réunion très positive, le directeur veut un pilote.",
    "Security review takes six weeks: start it early.",
)
WENT_WELL = (
    "Demo on their data landed.",
    "Clear no, early.",
    "The champion told our story for us.",
    "Pricing discussion stayed on value.",
    "Plant 2 manager asked for the offline mode.",
)
DO_DIFFERENTLY = (
    "Bring a pricing one-pager.",
    "Qualify budget before the first meeting.",
    "Have the CFO in the room.",
    "Go for the on-site demo, not 'send info'.",
)
LESSONS = (
    "Price will come up with procurement.",
    "No budget until next fiscal year.",
    "Procurement needs three quotes.",
    "CFO only cares about insurance premiums.",
)
RESEARCH = (
    ("customer", "Rolling out a new reporting process across 3 offices; budget approved for Q1."),
    ("product_fit", "Our workflow module replaces their spreadsheet hand-offs; SSO needed."),
    ("competitor", "Currently on Globex Flow, renewal due in March."),
    ("industry", "Manufacturers are under pressure to report downtime for insurance."),
)
CHECKLIST = DEFAULT_TEMPLATE


Rows = dict[type, list[dict[str, object]]]


def generate(
    db: str | Path,
    calls: int,
    *,
    now: datetime | None = None,
    seed: int = 8,
    progress: Callable[[int, int], None] | None = None,
    triggers: bool = False,
) -> dict[str, int]:
    """Create ``db`` (must not hold data yet) with ``calls`` calls; returns row counts per table.

    SQLite: batches of rows, the search index and the stats summary kept by their triggers.
    PostgreSQL: every row in one transaction with the per-row triggers off (``session_replication_role
    = replica``, which needs a superuser), then the search index and the stats summary filled by
    one statement each, the SQL their migrations (0015_pg_search, 0019_speed) fill them with:
    100,000 calls in 234 s on a loaded 2-core machine, against 797 s through the triggers; most of
    it is folding and indexing the words of 900,000 search rows. ``triggers=True`` loads PostgreSQL row batch by row batch
    through the triggers instead, as the app writes (``tests/test_bench_generate_pg.py`` checks
    that both give the same database).
    """
    import sqlalchemy as sa

    from salestui.store.core import open_store

    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    store = open_store(db, owner="bench")
    engine = store.engine
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # A throwaway dataset: skip fsyncs while generating (the app's own pragmas return on reopen).
        sa.event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA synchronous=OFF"))
        engine.dispose()
        with engine.connect() as probe:
            probe.exec_driver_sql("PRAGMA cache_size=-65536")
    counts: dict[str, int] = {}

    def insert(conn: sa.Connection, batch: Rows) -> None:
        for table, rows in batch.items():
            if rows:
                conn.execute(sa.insert(table.__table__), rows)  # type: ignore[attr-defined]
                name = table.__tablename__  # type: ignore[attr-defined]
                counts[name] = counts.get(name, 0) + len(rows)

    def report(done: int) -> None:
        if progress is not None and done:
            progress(done, calls)

    if sqlite or triggers:
        for batch, done in _batches(calls, moment, seed):
            with engine.begin() as conn:
                insert(conn, batch)
            report(done)
    else:
        with engine.begin() as conn:
            # Superuser only: no per-row trigger (search, summary, guards, notices) fires in this transaction.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")  # the word index's bulk build
            for batch, done in _batches(calls, moment, seed):
                for table, rows in batch.items():
                    name = _copy(conn, table.__table__, rows)  # type: ignore[attr-defined]
                    counts[name] = counts.get(name, 0) + len(rows)
                report(done)
            conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
            # The fill's per-call lookups need the planner to know the tables are no longer empty.
            conn.exec_driver_sql("ANALYZE")
            _fill_derived(conn)
    if sqlite:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            conn.exec_driver_sql("ANALYZE")
    else:
        from sqlmodel import SQLModel

        from salestui.store.engine import reset_sequences

        with engine.begin() as conn:
            reset_sequences(conn, SQLModel.metadata.sorted_tables)
        with engine.connect() as conn:  # VACUUM cannot run in a transaction
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return counts


class _Row:
    """The execution context a column's Python default is called with (``get_current_parameters``)."""

    def __init__(self, row: dict[str, object]) -> None:
        self.row = row

    def get_current_parameters(self) -> dict[str, object]:
        return self.row


def _copy(conn: Any, table: Any, rows: list[dict[str, object]]) -> str:
    """``COPY`` ``rows`` into ``table``, each value as an INSERT would bind it: the column type's
    own processing (``UserText`` cleaning, ``UTCDateTime`` to naive UTC) and the Python defaults
    of the columns a row leaves out (``account.name_key``). Returns the table's name."""
    if not rows:
        return str(table.name)
    given = list(rows[0])
    defaults = [c for c in table.columns if c.name not in given and c.default is not None]
    columns = [table.c[name] for name in given] + defaults
    processors = [column.type.bind_processor(conn.dialect) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in given]
            for column in defaults:
                default = column.default
                values.append(default.arg(_Row(row)) if default.is_callable else default.arg)
            copy.write_row([value if p is None else p(value) for p, value in zip(processors, values, strict=True)])
    cursor.close()
    return str(table.name)


def _fill_derived(conn: Any) -> None:
    """Fill PostgreSQL's tables kept by triggers from the records, as their migrations fill them."""
    from importlib import import_module

    search = import_module("salestui.store.migrations.versions.0015_pg_search")
    speed = import_module("salestui.store.migrations.versions.0019_speed")
    # The index over every word is built once at the end (a bulk build), not grown row by row.
    indexes = conn.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        (search.TABLE,),
    ).all()
    for name, _definition in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    for table in search.SOURCES:
        values, body = search._values(table, "r")
        conn.exec_driver_sql(
            f"INSERT INTO {search.TABLE} (rowid, body, call_id, account_id)"
            f" SELECT {values} FROM \"{table}\" AS r WHERE trim({body}) <> ''"
        )
    for _name, definition in indexes:
        conn.exec_driver_sql(definition)
    conn.exec_driver_sql(search._apply('"call" AS r', 1))
    conn.exec_driver_sql(speed.FILL)
    conn.exec_driver_sql(speed.HELD_FILL["postgresql"])


def _batches(calls: int, moment: datetime, seed: int) -> Iterator[tuple[Rows, int]]:
    """The dataset's rows: accounts with their contacts and notes, then calls in batches of
    ``BATCH`` with everything under them; each batch with the number of calls made so far."""
    from salestui.store import tables as t

    rng = random.Random(seed)
    accounts = max(1, calls // CALLS_PER_ACCOUNT)

    def base() -> dict[str, object]:
        return {"created_at": moment, "updated_at": moment}

    account_rows, contact_rows, note_rows = [], [], []
    for number in range(1, accounts + 1):
        name = f"{rng.choice(COMPANIES)} {rng.choice(SUFFIXES)} {number}"
        account_rows.append(
            {
                "id": number,
                "name": name,
                "industry": rng.choice(INDUSTRIES),
                "status": rng.choice(("prospect", "customer")),
                "website": "",
                "phone": "",
                "city": rng.choice(CITIES),
                "notes": "",
                "owner": "bench",
                "version": 1,
                **base(),
            }
        )
        for c in range(3):
            contact_rows.append(
                {
                    "id": number * 3 + c,
                    "account_id": number,
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "title": rng.choice(TITLES),
                    "role": rng.choice(ROLES),
                    "email": "",
                    "phone": "",
                    "notes": "",
                    "version": 1,
                    **base(),
                }
            )
        for category, body in rng.sample(RESEARCH, 3):
            note_rows.append(
                {
                    "account_id": number,
                    "category": category,
                    "body": body,
                    "source": "Call notes",
                    "version": 1,
                    **base(),
                }
            )
    yield {t.Account: account_rows, t.Contact: contact_rows, t.ResearchNote: note_rows}, 0

    # Calls spread over the last ~4 years, a few upcoming.
    span = timedelta(days=4 * 365)
    for start in range(1, calls + 1, BATCH):
        ids = range(start, min(calls, start + BATCH - 1) + 1)
        rows: Rows = {
            t.Call: [],
            t.CallContact: [],
            t.ChecklistItem: [],
            t.Objection: [],
            t.Advance: [],
            t.CallNote: [],
            t.Debrief: [],
        }
        for call_id in ids:
            account_id = rng.randint(1, accounts)
            # Newest ids are the most recent calls, with a little jitter; ~1% are upcoming.
            when = moment - span * (1 - call_id / calls) + timedelta(hours=rng.randint(-12, 12))
            when = when.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=30 * rng.randint(0, 1))
            if call_id > calls * 0.99:
                when = moment + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
            past = when < moment
            topic = rng.choice(TOPICS)
            objective = rng.choice(OBJECTIVES).format(topic=topic, site=rng.choice(SITES), people=rng.choice(PEOPLE))
            done_items = rng.randint(0, len(CHECKLIST))
            readiness = min(100, 20 + done_items * 6 + rng.randint(0, 20)) if past else None
            outcome: str | None = None
            if past:
                roll = rng.random()
                advance_chance = 0.2 + 0.5 * (readiness or 0) / 100
                if roll < 0.04:
                    outcome = "cancelled"
                elif roll < 0.04 + advance_chance:
                    outcome = "advance"
                elif roll < 0.9:
                    outcome = "continuation"
                else:
                    outcome = "lost"
            status = "cancelled" if outcome == "cancelled" else ("done" if past else "planned")
            rows[t.Call].append(
                {
                    "id": call_id,
                    "account_id": account_id,
                    "scheduled_at": when,
                    "kind": rng.choice(KINDS),
                    "status": status,
                    "objective": objective,
                    "goal": rng.choice(GOALS),
                    "strategy": "Open with their numbers; let the champion tell the story.",
                    "expected_return": "",
                    "started_at": when if past and outcome != "cancelled" else None,
                    "ended_at": when + timedelta(minutes=45) if past and outcome != "cancelled" else None,
                    "readiness_at_start": readiness if outcome != "cancelled" else None,
                    "outcome": outcome,
                    "achieved": None,
                    "carried_from_call_id": None,
                    "owner": "bench",
                    "version": 1,
                    **base(),
                }
            )
            for c in range(2):
                rows[t.CallContact].append({"call_id": call_id, "contact_id": account_id * 3 + c})
            for position, text in enumerate(CHECKLIST):
                rows[t.ChecklistItem].append(
                    {"call_id": call_id, "position": position, "text": text, "done": position < done_items, **base()}
                )
            for position, (text, response) in enumerate(rng.sample(OBJECTIONS, 2)):
                raised = past and rng.random() < 0.5
                rows[t.Objection].append(
                    {
                        "call_id": call_id,
                        "position": position,
                        "text": text,
                        "response": response,
                        "raised": raised,
                        "handling": rng.choice(("well", "badly")) if raised else "not_raised",
                        "came_up_unplanned": False,
                        **base(),
                    }
                )
            ladder = rng.sample(ADVANCES, 3)
            secured_level = rng.choice(("stretch", "target", "fallback")) if outcome == "advance" else None
            for level, action in zip(("stretch", "target", "fallback"), ladder, strict=True):
                rows[t.Advance].append(
                    {
                        "call_id": call_id,
                        "level": level,
                        "action": action,
                        "owner": "customer",
                        "due": None,
                        "secured": level == secured_level,
                        **base(),
                    }
                )
            if past and outcome != "cancelled":
                for n in range(rng.randint(1, 3)):
                    rows[t.CallNote].append(
                        {
                            "call_id": call_id,
                            "at": when + timedelta(minutes=10 * n),
                            "text": rng.choice(NOTES),
                            **base(),
                        }
                    )
                if rng.random() < 0.85:
                    rows[t.Debrief].append(
                        {
                            "call_id": call_id,
                            "went_well": rng.choice(WENT_WELL),
                            "do_differently": rng.choice(DO_DIFFERENTLY),
                            "customer_feedback": "",
                            "lessons": rng.choice(LESSONS),
                            "next_step": rng.choice(ADVANCES),
                            "follow_up": (when + timedelta(days=rng.randint(3, 21))).date(),
                            "rating": rng.randint(1, 5),
                            "next_call_id": None,
                            "version": 1,
                            "finished_at": moment,
                            **base(),
                        }
                    )
        yield rows, ids[-1]


def _bar(done: int, total: int) -> None:
    width = 40
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total} calls")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a dataset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    server = "://" in args.db
    if not server and Path(args.db).exists():
        print(f"{args.db} exists; give a new path.", file=sys.stderr)
        return 1
    began = time.perf_counter()
    counts = generate(args.db, args.calls, seed=args.seed, progress=_bar)
    size = 0 if server else Path(args.db).stat().st_size
    print(
        f"{args.calls} calls in {time.perf_counter() - began:.1f} s; {size / 1e6:.1f} MB "
        f"({size / max(1, args.calls) / 1024:.1f} KB per call); rows: {counts}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
