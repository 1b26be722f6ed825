from yingshang.trading.models.announcements import Announcement, DocumentDownload, TenderDocument
from yingshang.trading.models.bids import Bid
from yingshang.trading.models.bonds import (
    Bond,
    BondCap,
    BondPayment,
    BondReduction,
    BondRequirement,
    DepositRate,
    Guarantee,
    Refund,
    SimulatedGuarantee,
)
from yingshang.trading.models.clarifications import Clarification, DocumentObjection
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.evaluation_methods import EvaluationMethod
from yingshang.trading.models.evaluation_reports import BidClarification, EvaluationReport, ReportCandidate, ReportSignature
from yingshang.trading.models.evaluations import (
    BidResult,
    Disqualification,
    DisqualificationVote,
    EvaluationPlan,
    FailureVote,
    Score,
    ScoreSheet,
    ScoringItem,
)
from yingshang.trading.models.experts import CommitteeMember, Expert
from yingshang.trading.models.opening import Attendance, OpeningObjection, OpeningPlan
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = [
    "Bid",
    "Bond",
    "BondCap",
    "BondPayment",
    "BondReduction",
    "BondRequirement",
    "Candidate",
    "CommitteeMember",
    "DepositRate",
    "Expert",
    "Guarantee",
    "Lot",
    "MustTenderThreshold",
    "Procedure",
    "Refund",
    "SimulatedGuarantee",
    "TenderProject",
]
from yingshang.trading.models.award import (
    Archive,
    AwardCommitteeMember,
    AwardDecision,
    AwardDraw,
    Certificate,
    Contract,
    Publicity,
    ResultObjection,
)
from yingshang.trading.models.complaints import Complaint, ComplaintClockStop, ComplaintEvidence

__all__ += ["Archive", "AwardCommitteeMember", "AwardDecision", "AwardDraw", "Certificate", "Complaint",
            "ComplaintClockStop", "ComplaintEvidence", "Contract", "Publicity", "ResultObjection"]
__all__ += ["BidClarification", "BidResult", "Disqualification", "DisqualificationVote", "EvaluationMethod",
            "EvaluationPlan", "EvaluationReport", "FailureVote", "ReportCandidate", "ReportSignature", "Score",
            "ScoreSheet", "ScoringItem"]
__all__ += ["Announcement", "Clarification", "DocumentDownload", "DocumentObjection", "TenderDocument"]
__all__ += ["Attendance", "OpeningObjection", "OpeningPlan"]
