"""Credit models: subjects, collected records, import batches, lists, memoranda and feedback."""

from yingshang.credit.models.commitments import Commitment
from yingshang.credit.models.imports import ImportBatch, RowIssue
from yingshang.credit.models.joint import Feedback, Measure, Memorandum
from yingshang.credit.models.lists import ListEntry, ListType
from yingshang.credit.models.objections import Objection, Repair
from yingshang.credit.models.records import LicenseRecord, OtherRecord, PenaltyRecord
from yingshang.credit.models.scores import ScoreRule, ScoreTier, ScoringScheme, SubjectScore
from yingshang.credit.models.subjects import Subject

__all__ = ["Feedback", "ImportBatch", "LicenseRecord", "ListEntry", "ListType", "Measure", "Memorandum",
           "OtherRecord", "PenaltyRecord", "RowIssue", "Subject"]
__all__ += ["Commitment", "Objection", "Repair"]
__all__ += ["ScoreRule", "ScoreTier", "ScoringScheme", "SubjectScore"]
