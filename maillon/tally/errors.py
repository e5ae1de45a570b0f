"""The one exception the tally engine raises for bad input."""

from __future__ import annotations


class TallyInputError(ValueError):
    """Invalid ballots, candidates or options.

    ``line`` is the 1-based line of the CSV file the problem was found on, when
    the input came from a file; ``str()`` then starts with ``"line N: "``.
    """

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)
