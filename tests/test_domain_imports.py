"""domain.imports.merge_imported: the file's value or the rep's, field by field."""

from __future__ import annotations

from salestui.domain.imports import merge_imported


def test_empty_fields_are_filled_and_the_crms_fields_follow_the_file() -> None:
    merge = merge_imported(
        current={"city": "", "industry": "Software"},
        incoming={"city": "Austin", "industry": "SaaS"},
        last_imported={"industry": "Software"},
    )
    assert merge.write == {"city": "Austin", "industry": "SaaS"}
    assert merge.imported == merge.write and merge.kept == ()


def test_text_the_rep_changed_is_kept() -> None:
    merge = merge_imported(
        current={"notes": "mine", "phone": "555-9"},
        incoming={"notes": "CRM text", "phone": "555-2"},
        last_imported={"notes": "old CRM text"},  # no record for phone: typed before any import
    )
    assert merge.write == {} and merge.imported == {} and merge.kept == ("notes", "phone")


def test_a_default_no_import_wrote_counts_as_empty_and_equal_values_are_recorded() -> None:
    merge = merge_imported(
        current={"status": "prospect", "city": "Austin"},
        incoming={"status": "customer", "city": "Austin"},
        last_imported={},
        defaults={"status": "prospect"},
    )
    assert merge.write == {"status": "customer"}
    assert merge.imported == {"status": "customer", "city": "Austin"}
    changed = merge_imported(
        {"status": "prospect"}, {"status": "customer"}, {"status": "customer"}, {"status": "prospect"}
    )
    assert changed.kept == ("status",)  # the rep moved it back after an import set it
