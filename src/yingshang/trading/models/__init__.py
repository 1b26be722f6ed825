from yingshang.trading.models.procedures import MustTenderThreshold, Procedure
from yingshang.trading.models.projects import Lot, TenderProject

__all__ = ["Lot", "MustTenderThreshold", "Procedure", "TenderProject"]
