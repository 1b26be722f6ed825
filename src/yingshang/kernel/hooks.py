"""Kernel-level extension points, so one domain can plug into another without importing it.

Example: window acceptance (app `cases`) shows the applicant's credit check. `cases` runs
`ACCEPTANCE_CHECKS.run(...)`; the credit app registers its check from its AppConfig.ready().
Neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckHit:
    """One finding shown to the clerk: e.g. a black-list membership and the measure that applies."""

    source: str  # which check found it, e.g. "credit"
    code: str  # machine-readable, e.g. "credit.black_list"
    message: str  # Chinese, for the clerk
    blocking: bool = False  # a blocking hit needs an explicit, recorded decision to proceed
    details: dict = field(default_factory=dict)


class Hook:
    def __init__(self, name: str, doc: str):
        self.name, self.__doc__ = name, doc
        self._handlers: list[Callable] = []

    def register(self, handler: Callable) -> Callable:
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def unregister(self, handler: Callable) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    def run(self, **kwargs) -> list:
        """Call every handler; each returns a list of results, concatenated in registration order."""
        results: list = []
        for handler in self._handlers:
            results.extend(handler(**kwargs) or [])
        return results


ACCEPTANCE_CHECKS = Hook(
    "acceptance_checks",
    "Called at window acceptance with identifier (USCC or resident ID, normalized), name, item_code and "
    "scenario ('administrative_licensing'); returns CheckHit objects.",
)
