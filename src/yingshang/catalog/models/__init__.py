"""Catalog models: the stable item, its versions, and each version's content rows."""

from yingshang.catalog.models.content import Fee, JointDepartment, Material, ProcessStep
from yingshang.catalog.models.items import ServiceItem, ServiceItemVersion
from yingshang.catalog.models.search import SearchTerm

__all__ = ["Fee", "JointDepartment", "Material", "ProcessStep", "SearchTerm", "ServiceItem", "ServiceItemVersion"]
