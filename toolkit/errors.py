"""The exception tree. Raise only when a file or a request cannot be used at all;
problems found *in* a file are returned as issues (see toolkit.issues)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.issues import Issue


class ZvitError(Exception):
    """Base of every error zvit raises on purpose."""


class UsageError(ZvitError):
    """The request itself is wrong: a bad option, a missing file, no workspace."""


class WorkspaceError(ZvitError):
    """The workspace is missing, damaged or locked by another run."""


class CodedError(ZvitError):
    """An error that carries the coded issue saying what is wrong and what to do; the
    command line prints the issue in the user's language."""

    def __init__(self, found: Issue) -> None:
        super().__init__(f"[{found.code}] {found.message()}")
        self.issue = found


class RequestError(CodedError, UsageError):
    """The request names something that is not there, or not one thing (a unit, a
    submission)."""


class SettingsError(CodedError, UsageError):
    """A setting of zvit.toml is missing or cannot be used (or a secret it points to is
    not there); the issue names the section and the key."""


class WorkspaceNotFound(CodedError, WorkspaceError):
    """No zvit.toml in the folder or in any folder above it."""


class InvalidFileError(ZvitError):
    """A plan, registry or table cannot be used; carries the coded issues that say why."""

    def __init__(self, summary: str, issues: list[Issue]) -> None:
        super().__init__(summary)
        self.issues = issues


class OutputLockedError(ZvitError):
    """An output file cannot be replaced, usually because it is open in Excel."""


class ToolError(CodedError):
    """A program zvit needs from outside (LibreOffice for a PDF) is missing or failed."""
