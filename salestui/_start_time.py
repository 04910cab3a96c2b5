"""Process start reference, imported first so start-up can be measured, not guessed."""

from time import perf_counter

START_TIME = perf_counter()
