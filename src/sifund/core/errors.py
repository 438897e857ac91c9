"""User-facing errors: each problem names the file and the place in it (line, sheet!cell, field).

The CLI prints one line per problem and exits non-zero; no traceback reaches a user for a
mistake in their input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    place: str  # "line 12, figures[3].fund", "基金收支!E12", "offset 812"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.message}" if where else self.message


class SifundError(Exception):
    """One or more problems with a user's input. ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem] | Problem | str, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file, "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))
