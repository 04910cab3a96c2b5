"""The floor for keystroke latency: a DataTable with a position line, and an Input."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input, Static


class MinimalKeysApp(App[None]):
    """A table of 1,000 rows (page down moves the position line) and a text field (tab to it)."""

    BINDINGS = [("ctrl+q", "quit", "Quit")]
    CSS = "#table { height: 1fr; }"

    def compose(self) -> ComposeResult:
        """Header, table, position line, input, footer."""
        yield Header()
        yield DataTable(id="table")
        yield Static("row 1 of 1,000", id="position")
        yield Input(placeholder="type here", id="field")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.cursor_type = "row"
        table.add_columns("when", "account", "kind", "objective", "readiness")
        table.add_rows(
            (f"2026-11-{1 + n % 28:02d} 10:00", f"Account {n}", "discovery", f"Objective number {n}", f"{n % 100}%")
            for n in range(1000)
        )
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show where the cursor is, as the review screen does."""
        self.query_one("#position", Static).update(f"row {event.cursor_row + 1:,} of 1,000")


if __name__ == "__main__":
    MinimalKeysApp().run()
