from yingshang.trading.models.announcements import Announcement, DocumentDownload, TenderDocument
from yingshang.trading.models.bids import Bid
from yingshang.trading.models.clarifications import Clarification, DocumentObjection
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.experts import CommitteeMember, Expert
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = ["Bid", "Candidate", "CommitteeMember", "Expert", "Lot", "MustTenderThreshold", "Procedure", "TenderProject"]
__all__ += ["Announcement", "Clarification", "DocumentDownload", "DocumentObjection", "TenderDocument"]
