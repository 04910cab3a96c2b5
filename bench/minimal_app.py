"""The floor for the first-frame budget: Header, Footer and one Static."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    """As little as a Textual app can be."""

    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        """Three widgets."""
        yield Header()
        yield Static("minimal ready")
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
