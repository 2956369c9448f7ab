"""One error catalogue for armstrace.

Every failure a user can cause (a bad file, a broken lexicon, a claim outside the SPEC
vocabularies) is an `ArmstraceError` with a stable code and a one-line message that names the
file and, where there is one, the line. The CLI prints that line; `--debug` shows the traceback.
Code elsewhere re-raises lower-level exceptions with `from e` so the cause is never lost.
"""

from __future__ import annotations


class ArmstraceError(Exception):
    """Base of every error a user is meant to read."""

    code: str = "E000"

    def __str__(self) -> str:
        return f"{self.code} {super().__str__()}"


class InputError(ArmstraceError):
    """An input file or record that cannot be read: empty, binary, not UTF-8, not JSON."""

    code = "E100"


class LexiconError(ArmstraceError):
    """A lexicon data file that breaks its format (docs/lexicons.md); names file:line."""

    code = "E200"


class ValidationError(ArmstraceError):
    """A claim or document that breaks SPEC §7: unknown category, actor id, stage..."""

    code = "E300"


class ConfigError(ArmstraceError):
    """A setting or option that makes no sense."""

    code = "E400"


class StoreError(ArmstraceError):
    """A database that cannot be opened, migrated or written."""

    code = "E500"


class FetchError(InputError):
    """A URL that could not be fetched: timeout, too large, too many redirects, HTTP error."""

    code = "E110"


class BlockedURLError(FetchError):
    """A URL refused before any byte is sent: a non-http(s) scheme, or a host that resolves
    to a loopback, private, link-local or metadata address (lifted by `--allow-private`)."""

    code = "E111"
