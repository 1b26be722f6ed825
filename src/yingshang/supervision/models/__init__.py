"""Supervision models: ratings and rectifications, the daily statistics rollup, the city's policy."""

from yingshang.supervision.models.policy import SupervisionPolicy
from yingshang.supervision.models.ratings import Rating, Rectification, RectificationEntry
from yingshang.supervision.models.stats import DailyStat, RollupState

__all__ = ["DailyStat", "Rating", "Rectification", "RectificationEntry", "RollupState", "SupervisionPolicy"]
