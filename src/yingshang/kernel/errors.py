"""Errors that services raise: a machine-readable code and a Chinese message for people.

The API turns them into JSON `{"code", "message", "details"}` with the status below; pages show
the message; commands print it and exit non-zero.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, details: object = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        if status is not None:
            self.status = status
        # Records that must outlive the refusal (e.g. a credit hit that barred a bidder): the transaction that
        # raised rolls back, then the edge (API handler, page action) runs these in a new one — `kept.run_kept`.
        self.kept: list = []

    def keep(self, record) -> ServiceError:
        self.kept.append(record)
        return self

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.details is not None:
            data["details"] = self.details
        return data


class InvalidInput(ServiceError):
    status = 400


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    """Someone else changed the object first, or the action is not allowed from its state."""

    status = 409
