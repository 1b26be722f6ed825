from yingshang.trading.models.bids import Bid
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.experts import CommitteeMember, Expert
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = ["Bid", "Candidate", "CommitteeMember", "Expert", "Lot", "MustTenderThreshold", "Procedure", "TenderProject"]

# Expert database and draw (issue 12 §6).
from yingshang.trading.models.expert_draws import DrawRound, ExpertDraw, Invitation
from yingshang.trading.models.experts import ExpertRelation, ExpertSanction, Specialty

__all__ += ["DrawRound", "ExpertDraw", "ExpertRelation", "ExpertSanction", "Invitation", "Specialty"]
