"""Time the review store on an existing database: open, page, jump, search while typing, detail.

    python -m bench.review_latency --db /tmp/bench-100k.db [--runs 7]

Prints the median (min–max) in milliseconds of each step; the full benchmark (bench/) reuses
``measure()``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any


def _time(step: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        step()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def measure(
    db: str, runs: int = 7, word: str = "pilot", typed: str = "procurem"
) -> dict[str, tuple[float, float, float]]:
    """Milliseconds (median, min, max) of each review step on ``db``."""
    from salestui.domain.review import ReviewFilter
    from salestui.store.core import open_store

    store = open_store(db)
    review = store.review
    flt = ReviewFilter()
    results: dict[str, tuple[float, float, float]] = {}
    results["open (first page + count)"] = _time(lambda: (review.first_page(flt), review.count(flt)), runs)

    def ten_pages() -> None:
        page = review.first_page(flt)
        for _ in range(10):  # on a small dataset, start over at the top when the end is reached
            page = review.older(flt, page.last) if page.last is not None else review.first_page(flt)

    pages = _time(ten_pages, runs)
    results["page (each of 10)"] = tuple(v / 11 for v in pages)  # type: ignore[assignment]
    results["jump to end"] = _time(lambda: review.last_page(flt), runs)
    results["filter outcome+kind page"] = _time(
        lambda: review.first_page(
            ReviewFilter(outcome=__import__("salestui.domain.enums", fromlist=["x"]).Outcome.LOST)
        ),
        runs,
    )
    results["filter needs debrief page+count"] = _time(
        lambda: (review.first_page(ReviewFilter(needs_debrief=True)), review.count(ReviewFilter(needs_debrief=True))),
        runs,
    )
    results[f"search word '{word}'"] = _time(lambda: review.search(word), runs)
    for n in range(1, len(typed) + 1):
        results[f"search typing '{typed[:n]}'"] = _time(lambda n=n: review.search(typed[:n]), runs)
    page = review.first_page(flt)
    some = page.lines[len(page.lines) // 2].id
    results["call detail"] = _time(lambda: review.detail(some), runs)
    results["stats"] = _time(review.stats, max(1, runs // 2))
    store.engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    for name, (median, low, high) in measure(args.db, args.runs).items():
        print(f"{name:<36} {median:8.1f} ms  ({low:.1f}–{high:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
