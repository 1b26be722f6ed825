"""Catalog models: the stable item, its versions, and each version's content rows."""

from yingshang.catalog.models.content import Fee, JointDepartment, Material, ProcessStep
from yingshang.catalog.models.items import ServiceItem, ServiceItemVersion
from yingshang.catalog.models.search import SearchTerm
from yingshang.catalog.models.themes import Theme

__all__ = ["Fee", "JointDepartment", "Material", "ProcessStep", "SearchTerm", "ServiceItem", "ServiceItemVersion", "Theme"]
