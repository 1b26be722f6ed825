"""Cases models: the case and its applicant-facing parts, and the back-office steps and clock."""

from yingshang.cases.models.case import Case, CaseEvent, Commitment, PostVerification, SubmittedMaterial
from yingshang.cases.models.notices import NoticeRequest
from yingshang.cases.models.review import CaseStep, ClockSuspension, Extension

__all__ = ["Case", "CaseEvent", "CaseStep", "ClockSuspension", "Commitment", "Extension", "NoticeRequest", "PostVerification",
           "SubmittedMaterial"]
