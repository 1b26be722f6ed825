"""Kernel models, one module per concern."""

from yingshang.kernel.models.audit import AuditEntry, AuditHead
from yingshang.kernel.models.calendar import CalendarDay, CalendarYear
from yingshang.kernel.models.documents import IssuedDocument
from yingshang.kernel.models.files import StoredFile
from yingshang.kernel.models.notifications import Message
from yingshang.kernel.models.numbering import SerialCounter
from yingshang.kernel.models.org import ApiToken, Department, Role, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "CalendarDay",
    "CalendarYear",
    "Department",
    "IssuedDocument",
    "Message",
    "Role",
    "SerialCounter",
    "StoredFile",
    "User",
]
