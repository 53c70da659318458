"""Errors the core raises. Each carries a Chinese message for the user and an English technical detail."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error a user may see: ``message`` is Chinese, ``detail`` is the English technical part."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message}（{self.detail}）" if self.detail else self.message


class NotFound(ArchiveError):
    """A record, file or page does not exist — or the caller's scope does not let them see it.

    The two cases are deliberately indistinguishable so that a clerk cannot probe for unreleased records.
    """


class InvalidInput(ArchiveError):
    """A value, file or manifest row is not acceptable."""


class PermissionDenied(ArchiveError):
    """The operator's roles do not allow this action."""


class ArchiveMissing(ArchiveError):
    """The archive directory has no catalogue yet."""
