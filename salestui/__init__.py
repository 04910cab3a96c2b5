"""salestui — plan customer calls, pick the advance, debrief, and review, in the terminal."""

__version__ = "0.1.0"
