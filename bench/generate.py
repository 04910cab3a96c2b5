"""Generate realistic benchmark databases (1,000 / 10,000 / 100,000 calls) quickly.

Rows go in through the schema the migrations create, with executemany in one transaction;
dates spread over five years before and a month after the frozen "now".
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from salestui.domain.checklist import DEFAULT_TEMPLATE
from salestui.store.demo import OBJECTIONS

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORDS = (
    "pilot pricing rollout plant audit trail procurement budget security review onboarding dashboard renewal "
    "integration reporting downtime workflow clinic dispatch forecast quarter contract reference champion "
    "timeline stakeholder approval discount phase insurance compliance evaluation café résumé"
).split()
ADVANCES = (
    "CFO joins a 30-minute pricing review on the 14th",
    "Agrees to a 30-day pilot with 5 users, starting Monday",
    "IT lead sends the current vendor's contract terms by Friday",
    "Introduces us to procurement this week",
    "Books an on-site demo for the plant managers",
    "Signs the order form for phase one",
)
KINDS = ("discovery", "demo", "proposal", "negotiation", "check_in", "other")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, calls: int, progress: Callable[[int], None] | None = None, seed: int = 7) -> None:
    """Create ``path`` with ``calls`` calls and everything around them."""
    from salestui.store.core import open_store

    open_store(path, owner="bench").close()
    rng = random.Random(seed)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=OFF")
    created = _stamp(NOW)
    accounts = max(5, calls // 20)
    with raw:
        raw.executemany(
            "INSERT INTO account (id, name, industry, status, website, phone, city, notes, owner, created_at, updated_at, version)"
            " VALUES (?, ?, ?, ?, '', '', ?, '', 'bench', ?, ?, 1)",
            [
                (
                    i,
                    f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()} {i}",
                    rng.choice(("Software", "Manufacturing", "Healthcare", "Retail")),
                    rng.choice(("prospect", "customer")),
                    "Springfield",
                    created,
                    created,
                )
                for i in range(1, accounts + 1)
            ],
        )
        raw.executemany(
            "INSERT INTO contact (account_id, name, title, role, email, phone, notes, created_at, updated_at, version)"
            " VALUES (?, ?, 'Manager', ?, '', '', '', ?, ?, 1)",
            [
                (a, f"Contact {a}-{k}", rng.choice(("decision_maker", "influencer", "user")), created, created)
                for a in range(1, accounts + 1)
                for k in range(3)
            ],
        )
        raw.executemany(
            "INSERT INTO research_note (account_id, category, body, source, created_at, updated_at, version) VALUES (?, ?, ?, '', ?, ?, 1)",
            [
                (a, rng.choice(("customer", "product_fit", "competitor", "industry")), _text(rng, 40), created, created)
                for a in range(1, accounts + 1)
                for _ in range(2)
            ],
        )
    batch = 2000
    for start in range(1, calls + 1, batch):
        ids = range(start, min(calls, start + batch - 1) + 1)
        rows, advances, objections, checklist, notes, debriefs = [], [], [], [], [], []
        for cid in ids:
            when = NOW - timedelta(minutes=rng.randint(-30 * 24 * 60, 5 * 365 * 24 * 60))
            past = when < NOW
            secured = rng.random() < 0.45 if past else False
            outcome = (
                ("advance" if secured else rng.choice(("continuation", "lost", "cancelled", "continuation")))
                if past
                else None
            )
            readiness = rng.randint(10, 100) if past else None
            rows.append(
                (
                    cid,
                    rng.randint(1, accounts),
                    _stamp(when),
                    rng.choice(KINDS),
                    "done" if past else "planned",
                    _text(rng, 10),
                    _text(rng, 6),
                    _text(rng, 25),
                    _text(rng, 8),
                    readiness,
                    outcome,
                    created,
                    created,
                )
            )
            level = rng.choice(("stretch", "target", "fallback"))
            for rung in ("stretch", "target", "fallback"):
                advances.append(
                    (
                        cid,
                        rung,
                        rng.choice(ADVANCES),
                        "customer",
                        1 if secured and rung == level else 0,
                        created,
                        created,
                    )
                )
            for pos, (text, response) in enumerate(rng.sample(OBJECTIONS, 2)):
                raised = past and rng.random() < 0.5
                objections.append(
                    (
                        cid,
                        pos,
                        text,
                        response,
                        1 if raised else 0,
                        rng.choice(("well", "badly")) if raised else "not_raised",
                        created,
                        created,
                    )
                )
            for pos, item in enumerate(DEFAULT_TEMPLATE):
                checklist.append((cid, pos, item, 1 if rng.random() < 0.6 else 0, created, created))
            if past:
                notes.append((cid, _stamp(when), _text(rng, 20), created, created))
                if rng.random() < 0.85:
                    follow = (when + timedelta(days=7)).date().isoformat()
                    debriefs.append(
                        (
                            cid,
                            _text(rng, 15),
                            _text(rng, 15),
                            _text(rng, 10),
                            _text(rng, 15),
                            _text(rng, 8),
                            follow,
                            rng.randint(1, 5),
                            created,
                            created,
                        )
                    )
        with raw:
            raw.executemany(
                "INSERT INTO call (id, account_id, scheduled_at, kind, status, objective, goal, strategy, expected_return, readiness_at_start, outcome, owner, created_at, updated_at, version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, 1)",
                rows,
            )
            raw.executemany(
                "INSERT INTO advance (call_id, level, action, owner, secured, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                advances,
            )
            raw.executemany(
                "INSERT INTO objection (call_id, position, text, response, raised, handling, came_up_unplanned, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                objections,
            )
            raw.executemany(
                "INSERT INTO checklist_item (call_id, position, text, done, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                checklist,
            )
            raw.executemany(
                "INSERT INTO call_note (call_id, at, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", notes
            )
            raw.executemany(
                "INSERT INTO debrief (call_id, went_well, do_differently, customer_feedback, lessons, next_step, follow_up, rating, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                debriefs,
            )
        if progress:
            progress(len(ids))
    raw.execute("PRAGMA optimize")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
