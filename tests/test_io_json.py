"""JSON export/import: byte-identical round trip, refusal of a non-empty database, all-or-nothing restore."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from salestui.domain.enums import AdvanceLevel, QuestionKind
from salestui.io import json_io
from salestui.io.json_io import JsonImportError, dump_json, export_json, import_json
from salestui.store import bulk
from salestui.store import tables as t
from salestui.store.core import Store, open_store

TRICKY = '[TODO] call [/] back [@click=app.quit]x[/] — «Müller» 東京 "quoted" \\ back\nslash'


def _enrich(store: Store, now: datetime) -> None:
    """Add what the demo lacks: odd text, a drafted next call (both links), an unplanned advance, settings, a draft."""
    account = store.accounts.create(TRICKY, industry="Ünïcode", notes="line one\nline two")
    store.accounts.add_contact(account.id, "Zoë O'Brien", email="zoe@example.com", notes=TRICKY)
    store.accounts.add_note(account.id, "other", TRICKY, source="")
    call = store.calls.create(account.id, now - timedelta(days=2), objective=TRICKY)
    store.calls.secure_unplanned(call, "Agrees to a reference call for Initech")
    store.calls.end(call)
    store.debriefs.save(call, lessons=TRICKY, follow_up=(now + timedelta(days=3)).date(), rating=5)
    store.debriefs.draft_next_call(call, now + timedelta(days=10))
    store.calls.create(account.id, None, objective="")  # a call with no time yet
    store.debriefs.save(store.calls.needing_debrief()[0].id, went_well=TRICKY)  # a draft, never finished
    store.calls.set_template(["Objective written", TRICKY])
    asked = store.calls.add_question(call, TRICKY, QuestionKind.NEED_PAYOFF, TRICKY)
    store.calls.set_asked(asked, True, TRICKY)
    store.calls.add_question(call, "Who signs?", QuestionKind.SITUATION)
    store.calls.record_practice(call, 365, ["objection: " + TRICKY, "stretch ask: x"])
    with store.transaction() as session:
        session.add(t.Setting(key="owner_name", value="Sam"))
        session.add(t.Setting(key="theme", value="nord"))


@pytest.fixture
def full_store(demo_store: Store, frozen_now: datetime) -> Store:
    _enrich(demo_store, frozen_now)
    return demo_store


def test_round_trip_is_byte_identical(full_store: Store, tmp_path: Path) -> None:
    first = dump_json(full_store)
    exported = tmp_path / "export.json"
    exported.write_text(first, encoding="utf-8")
    target = open_store(tmp_path / "restored.db", owner="someone else")
    try:
        report = import_json(target, exported)
        second = dump_json(target)
        assert second == first
        document = json.loads(first)
        assert report.created > len(document["calls"]) + len(document["accounts"])
        # The restored database works through the ordinary repositories, ids and links intact.
        for call in document["calls"]:
            assert target.calls.plan(call["id"]) == full_store.calls.plan(call["id"])
        assert target.calls.template() == full_store.calls.template()
    finally:
        target.engine.dispose()


def test_document_shape(full_store: Store) -> None:
    document = export_json(full_store)
    assert list(document) == ["format", "version", "settings", "checklist_template", "accounts", "calls"]
    assert (document["format"], document["version"]) == ("salestui", 4)
    # "owner" is the rep name the store saves on first open (team mode).
    # (On PostgreSQL the name is per login: "owner:<login>".)
    assert [s["key"].partition(":")[0] for s in document["settings"]] == ["owner", "owner_name", "theme"]
    # A name is one line: the newline in it is stored as a space (the notes keep theirs).
    tricky = next(a for a in document["accounts"] if a["name"] == TRICKY.replace("\n", " "))
    assert tricky["contacts"][0]["notes"] == TRICKY
    assert list(tricky)[:3] == ["id", "name", "industry"]
    assert tricky["contacts"][0]["name"] == "Zoë O'Brien"
    drafted = next(c for c in document["calls"] if c["carried_from_call_id"] is not None)
    source = next(c for c in document["calls"] if c["id"] == drafted["carried_from_call_id"])
    assert source["debrief"]["next_call_id"] == drafted["id"]
    unplanned = [a for a in source["advances"] if a["level"] == AdvanceLevel.UNPLANNED.value]
    assert unplanned and unplanned[0]["secured"] is True
    assert source["scheduled_at"].endswith("Z")
    # Readable UTF-8, not \\u escapes.
    assert "東京" in dump_json(full_store)


def test_drafts_and_finished_debriefs_are_told_apart(full_store: Store) -> None:
    debriefs = [c["debrief"] for c in export_json(full_store)["calls"] if c["debrief"] is not None]
    assert list(debriefs[0])[-1] == "finished_at"
    drafts = [d for d in debriefs if d["finished_at"] is None]
    assert [d["went_well"] for d in drafts] == [TRICKY]
    assert all(d["finished_at"].endswith("Z") for d in debriefs if d not in drafts)


def test_a_version_1_file_still_imports_with_every_debrief_finished(full_store: Store, tmp_path: Path) -> None:
    """Version 1 had no ``finished_at``: then every debrief counted as debriefed, so it is finished."""
    document = _document(full_store)
    document["version"] = 1
    for call in document["calls"]:
        if call["debrief"] is not None:
            del call["debrief"]["finished_at"]
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = open_store(tmp_path / "from-v1.db", owner="tester")
    try:
        import_json(target, path)
        restored = [c["debrief"] for c in _document(target)["calls"] if c["debrief"] is not None]
        assert restored and all(d["finished_at"] == d["updated_at"] for d in restored)
        # The draft came back finished: only calls with no debrief at all still need one.
        undebriefed = [c.id for c in full_store.calls.needing_debrief() if full_store.debriefs.get(c.id) is None]
        assert [c.id for c in target.calls.needing_debrief()] == undebriefed != []
    finally:
        target.engine.dispose()


def test_questions_are_in_the_document(full_store: Store) -> None:
    calls = export_json(full_store)["calls"]
    questions = [q for c in calls for q in c["questions"]]
    assert list(calls[0])[list(calls[0]).index("advances") + 1] == "questions"
    tricky = next(q for q in questions if q["text"] == TRICKY.replace("\n", " "))
    assert tricky["kind"] == "need_payoff" and tricky["asked"] is True
    assert tricky["text"] == TRICKY.replace("\n", " ") and tricky["answer"] == TRICKY.replace("\n", " ")
    assert list(tricky) == ["id", "position", "text", "kind", "hope", "asked", "answer", "created_at", "updated_at"]


def test_a_version_2_file_still_imports_with_no_questions(full_store: Store, tmp_path: Path) -> None:
    """Version 2 had no questions: such a file imports everything else, and no call has questions."""
    document = _document(full_store)
    document["version"] = 2
    for call in document["calls"]:
        del call["questions"], call["practice_runs"], call["coaching_notes"], call["riders"]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = open_store(tmp_path / "from-v2.db", owner="tester")
    try:
        import_json(target, path)
        restored = _document(target)
        assert all(c["questions"] == [] for c in restored["calls"])
        for call in restored["calls"]:
            del call["questions"], call["practice_runs"], call["coaching_notes"], call["riders"]
        assert [c["id"] for c in restored["calls"]] == [c["id"] for c in document["calls"]]
        assert restored["calls"] == document["calls"] and restored["accounts"] == document["accounts"]
    finally:
        target.engine.dispose()


def test_a_version_3_file_without_questions_is_refused(full_store: Store, tmp_path: Path) -> None:
    document = _document(full_store)
    del document["calls"][0]["questions"]
    with pytest.raises(JsonImportError, match="questions"):
        json_io.parse_document(document)


def test_every_column_is_in_the_document() -> None:
    """A new column must be added to the format (and the version considered), never silently dropped."""
    for table in bulk.TABLES:
        fields, parent = json_io.LAYOUT[bulk.name_of(table)]
        covered = (
            {name for name, _, _ in fields}
            | ({parent} if parent else set())
            | json_io.DERIVED.get(bulk.name_of(table), set())
        )
        assert covered == set(bulk.columns_of(table)), bulk.name_of(table)


def test_import_refuses_a_non_empty_database(full_store: Store, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    exported.write_text(dump_json(full_store), encoding="utf-8")
    before = dump_json(full_store)
    with pytest.raises(bulk.NotEmpty, match=r"already holds 6 accounts and 13 calls"):
        import_json(full_store, exported)
    assert dump_json(full_store) == before


def test_failure_mid_import_leaves_the_database_empty(full_store: Store, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    exported.write_text(dump_json(full_store), encoding="utf-8")
    target = open_store(tmp_path / "restored.db")
    template = target.calls.template()
    seen: list[int] = []

    def explode(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 2:
            raise OSError("disk pulled out mid-import")

    try:
        with pytest.raises(OSError, match="disk pulled out"):
            import_json(target, exported, progress=explode)
        assert len(seen) > 2  # it really failed in the middle, after rows were written
        assert bulk.occupied(target) == {}
        assert target.calls.template() == template
        # And the same file still imports afterwards.
        import_json(target, exported)
        assert dump_json(target) == dump_json(full_store)
    finally:
        target.engine.dispose()


def _document(store: Store) -> dict:  # type: ignore[type-arg]
    return json.loads(dump_json(store))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a salestui export"),
        (lambda d: d.update(version=5), "newer salestui"),
        (lambda d: d.update(version=[1]), "unknown format version"),
        (lambda d: d["accounts"][0].update(status="vip"), r"accounts\[0\]\.status: 'vip' is not one of"),
        (lambda d: d["calls"][0].update(scheduled_at="tomorrow"), r"calls\[0\]\.scheduled_at"),
        (lambda d: d["calls"][0].update(account_id=999), "account 999 is not in the file"),
        (lambda d: d["calls"][0]["contact_ids"].append(999), "contact 999 is not in the file"),
        (lambda d: d["calls"][1].update(id=d["calls"][0]["id"]), "call id .* appears twice"),
        (lambda d: d["accounts"][0].pop("name"), r"accounts\[0\]: 'name' is missing"),
        (lambda d: d["calls"][0]["advances"][0].update(secured="yes"), "expected true or false"),
    ],
)
def test_bad_documents_are_refused_before_writing(
    full_store: Store, tmp_path: Path, change: object, message: str
) -> None:
    document = _document(full_store)
    change(document)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    target = open_store(tmp_path / "target.db")
    try:
        with pytest.raises(JsonImportError, match=message):
            import_json(target, path)
        assert bulk.occupied(target) == {}
    finally:
        target.engine.dispose()


def test_not_json_at_all(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "notes.json"
    path.write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(JsonImportError, match="not valid JSON .*line 1"):
        import_json(store, path)
    assert isinstance(JsonImportError("x"), ValueError)  # the import CLI reports ValueErrors in one line


def test_empty_database_round_trip(store: Store, tmp_path: Path) -> None:
    text = dump_json(store)
    path = tmp_path / "empty.json"
    path.write_text(text, encoding="utf-8")
    target = open_store(tmp_path / "t.db")
    try:
        import_json(target, path)
        assert dump_json(target) == text
    finally:
        target.engine.dispose()


def test_times_keep_microseconds(store: Store, tmp_path: Path) -> None:
    account = store.accounts.create("Exact")
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    store.calls.create(account.id, moment)
    document = _document(store)
    assert document["calls"][0]["scheduled_at"] == "2026-01-02T03:04:05.678901Z"


def test_render_is_plain_indented_json_and_reports_progress(full_store: Store) -> None:
    document = export_json(full_store)
    assert json_io.render(document) == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    seen: list[tuple[int, int]] = []
    text = dump_json(full_store, progress=lambda done, total: seen.append((done, total)))
    assert text == json_io.render(document)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
