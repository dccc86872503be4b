"""The exception tree. Raise only when a file or a request cannot be used at all;
problems found *in* a file are returned as issues (see toolkit.issues).

Every error says what is wrong as a text of the catalog — ``UsageError("plan.file.missing",
path=source)``, or a coded issue for ``CodedError`` — and is put into words where it is
shown, in its reader's language: ``error.text(lang)`` (the command line does it for every
command). ``str(error)`` is the Ukrainian text, for logs and tracebacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.messages import DEFAULT_LANG, Lang, Message

if TYPE_CHECKING:
    from toolkit.issues import Issue


class ZvitError(Exception):
    """Base of every error zvit raises on purpose."""

    message: Message | None  # what is wrong (None for a coded error: its issue says it)

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.message = Message(key, params)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        assert self.message is not None
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.text()

    def __reduce__(self) -> tuple[Any, ...]:
        # an error travels from a worker process whole, whatever its constructor takes
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[ZvitError], args: tuple[Any, ...], state: dict[str, Any]) -> ZvitError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(ZvitError):
    """The request itself is wrong: a bad option, a missing file, no workspace."""


class WorkspaceError(ZvitError):
    """The workspace is missing, damaged or locked by another run."""


class CodedError(ZvitError):
    """An error that carries the coded issue saying what is wrong and what to do."""

    def __init__(self, found: Issue) -> None:
        Exception.__init__(self, found.code)
        self.message = None
        self.issue = found

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return f"[{self.issue.code}] {self.issue.message(lang)}"


class RequestError(CodedError, UsageError):
    """The request names something that is not there, or not one thing (a unit, a
    submission)."""


class SettingsError(CodedError, UsageError):
    """A setting of zvit.toml is missing or cannot be used (or a secret it points to is
    not there); the issue names the section and the key."""


class WorkspaceNotFound(CodedError, WorkspaceError):
    """No zvit.toml in the folder or in any folder above it."""


class InvalidFileError(ZvitError):
    """A plan, registry or table cannot be used; carries the coded issues that say why
    (the command line prints them after the error's own text)."""

    def __init__(self, issues: list[Issue], key: str, /, **params: Any) -> None:
        super().__init__(key, **params)
        self.issues = issues


class OutputLockedError(ZvitError):
    """An output file cannot be replaced, usually because it is open in Excel."""


class ToolError(CodedError):
    """A program zvit needs from outside (LibreOffice for a PDF) is missing or failed."""
