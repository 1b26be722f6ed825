"""The trading app's models, one module per part (projects and lots, bids, bonds, announcements, opening,
experts and draws, evaluation, award and complaints)."""

from yingshang.trading.models.announcements import Announcement, DocumentDownload, TenderDocument
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
from yingshang.trading.models.complaints import Complaint, ComplaintClockStop, ComplaintEvidence
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.evaluation_methods import EvaluationMethod
from yingshang.trading.models.evaluation_reports import (
    BidClarification,
    EvaluationReport,
    ReportCandidate,
    ReportSignature,
)
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
from yingshang.trading.models.expert_draws import DrawRound, ExpertDraw, Invitation
from yingshang.trading.models.experts import CommitteeMember, Expert, ExpertRelation, ExpertSanction, Specialty
from yingshang.trading.models.opening import Attendance, OpeningObjection, OpeningPlan
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = [
    "Announcement",
    "Archive",
    "Attendance",
    "AwardCommitteeMember",
    "AwardDecision",
    "AwardDraw",
    "Bid",
    "BidClarification",
    "BidResult",
    "Bond",
    "BondCap",
    "BondPayment",
    "BondReduction",
    "BondRequirement",
    "Candidate",
    "Certificate",
    "Clarification",
    "CommitteeMember",
    "Complaint",
    "ComplaintClockStop",
    "ComplaintEvidence",
    "Contract",
    "DepositRate",
    "Disqualification",
    "DisqualificationVote",
    "DocumentDownload",
    "DocumentObjection",
    "DrawRound",
    "EvaluationMethod",
    "EvaluationPlan",
    "EvaluationReport",
    "Expert",
    "ExpertDraw",
    "ExpertRelation",
    "ExpertSanction",
    "FailureVote",
    "Guarantee",
    "Invitation",
    "Lot",
    "MustTenderThreshold",
    "OpeningObjection",
    "OpeningPlan",
    "Procedure",
    "Publicity",
    "Refund",
    "ReportCandidate",
    "ReportSignature",
    "ResultObjection",
    "Score",
    "ScoreSheet",
    "ScoringItem",
    "SimulatedGuarantee",
    "Specialty",
    "TenderDocument",
    "TenderProject",
]
