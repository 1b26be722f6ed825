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


@dataclass(frozen=True)
class CommitmentEvent:
    """A credit commitment (信用承诺) made, kept or broken somewhere on the platform.

    Fired inside the transaction of the change, so a handler's records commit or roll back with it.
    The person's ID number never travels: only its keyed digest (kernel.protect.id_digest) and mask.
    """

    event: str  # "made" | "fulfilled" | "breached"
    source: str  # the app that holds the commitment, e.g. "cases"
    reference: str  # stable id within the source, e.g. "cases.commitment:42"
    kind: str  # e.g. "pending_materials" (容缺受理), "notify_and_commit" (告知承诺)
    kind_label: str
    text: str
    subject_kind: str  # "enterprise" | "person" | …, the source's applicant kind
    subject_name: str
    uscc: str  # full USCC of an organisation, else ""
    identifier_digest: str  # keyed digest of the identifier (persons and organisations)
    identifier_masked: str
    department_code: str  # the department the commitment was made to
    case_no: str
    signed_at: object  # datetime
    due_on: object = None  # date by which it must be kept, if any
    occurred_at: object = None  # datetime of fulfilment or breach
    reason: str = ""  # the breach, in Chinese


COMMITMENT_EVENTS = Hook(
    "commitment_events",
    "Called with event=CommitmentEvent when a commitment is made, fulfilled or breached; returns nothing. "
    "The credit app records commitments and turns a breach into a credit record.",
)


ITEM_USAGE = Hook(
    "item_usage",
    "Called with limit and today (a date); returns (service item id, number of cases) pairs, most used first. "
    "The cases app counts the cases received in the last year; the portal's 热门事项 ranks items by it.",
)
