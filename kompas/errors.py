"""The KompasError hierarchy: every user-facing failure derives from one root."""

from __future__ import annotations

from dataclasses import dataclass


class KompasError(Exception):
    """Root of every error Kompas reports to a user."""


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based position in a data file."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake (or warning) found in a data file."""

    location: Location
    path: str
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.location}: {self.path}: " if self.path else f"{self.location}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.severity != "error":
            text = f"{text} [{self.severity}]"
        return text


class DataError(KompasError):
    """One or more problems in questions.yaml or platforms.yaml."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AnswerError(KompasError):
    """A submitted answer does not fit the questionnaire."""

    def __init__(
        self, question_id: str, value: object, message: str, kind: str = "", **params: object
    ) -> None:
        self.question_id = question_id
        self.value = value
        self.message = message
        # What went wrong, for messages in the user's language: a kind and its parameters.
        self.kind = kind
        self.params = params
        super().__init__(f"{question_id}: {message}")


class RecordError(KompasError):
    """A decision record cannot be read or recomputed."""


class ReportError(KompasError):
    """The PDF report could not be rendered."""
