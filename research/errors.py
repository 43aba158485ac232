"""The domain's error base class.

A DomainError carries an English message for logs and the command line, and optionally a
translation `key` with its `params`, so that pages can show it in the user's language
(`ui.i18n.error_text`). Pages catch DomainError (never a bare Exception) and show it as a message.
"""
from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, *, key: str | None = None, **params):
        super().__init__(message)
        self.key = key
        self.params = params
