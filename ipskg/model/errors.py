"""Exception types: user input errors, broken artifacts, and the CLI exit codes they map to."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_NONCONFORMANT",
    "EXIT_OK",
    "ArtifactError",
    "InputError",
    "IpskgError",
    "ServerError",
]

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class IpskgError(Exception):
    """Base class of every error ipskg reports to a user."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """The message as shown on stderr: what, where, and how to fix it."""
        text = self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class InputError(IpskgError):
    """The user's data or arguments are wrong: carries the file, line and field."""

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        record: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.record = record

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.record:
            parts.append(f"record {self.record!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    def render(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class ArtifactError(IpskgError):
    """One of ipskg's own artifacts (ontology, shapes, queries) is broken."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, artifact: str | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.artifact = artifact

    def render(self) -> str:
        text = f"{self.artifact}: {self.message}" if self.artifact else self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class ServerError(IpskgError):
    """A SPARQL server could not be reached, refused us, or answered with an error."""

    exit_code = EXIT_INPUT
