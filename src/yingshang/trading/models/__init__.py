from yingshang.trading.models.bids import Bid
from yingshang.trading.models.evaluation import Candidate
from yingshang.trading.models.evaluation_methods import EvaluationMethod
from yingshang.trading.models.evaluation_reports import Clarification, EvaluationReport, ReportCandidate, ReportSignature
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
from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = ["Bid", "Candidate", "CommitteeMember", "Expert", "Lot", "MustTenderThreshold", "Procedure", "TenderProject"]
__all__ += ["BidResult", "Clarification", "Disqualification", "DisqualificationVote", "EvaluationMethod",
            "EvaluationPlan", "EvaluationReport", "FailureVote", "ReportCandidate", "ReportSignature", "Score",
            "ScoreSheet", "ScoringItem"]
