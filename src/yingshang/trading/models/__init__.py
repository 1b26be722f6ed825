from yingshang.trading.models.bids import Bid
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.experts import CommitteeMember, Expert
from yingshang.trading.models.opening import Attendance, OpeningObjection, OpeningPlan
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = ["Attendance", "Bid", "Candidate", "CommitteeMember", "Expert", "Lot", "MustTenderThreshold", "OpeningObjection",
           "OpeningPlan", "Procedure", "TenderProject"]
