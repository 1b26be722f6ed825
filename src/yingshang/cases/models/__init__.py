"""Cases models: the case and its applicant-facing parts, and the back-office steps and clock."""

from yingshang.cases.models.applications import ApplicationForm, LibraryEntry, MaterialSource, PreReview
from yingshang.cases.models.case import Case, CaseEvent, Commitment, PostVerification, SubmittedMaterial
from yingshang.cases.models.issuance import Delivery, Issuance  # noqa: F401  (issuance work)
from yingshang.cases.models.notices import NoticeRequest
from yingshang.cases.models.review import CaseStep, ClockSuspension, Extension

__all__ = ["ApplicationForm", "Case", "CaseEvent", "CaseStep", "ClockSuspension", "Commitment", "Extension", "LibraryEntry",
           "MaterialSource", "NoticeRequest", "PostVerification", "PreReview", "SubmittedMaterial"]
