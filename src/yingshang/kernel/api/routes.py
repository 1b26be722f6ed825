"""All kernel routers in one place, so yingshang.api mounts a single router per app."""

from ninja import Router

from yingshang.kernel.api import audit, calendar, documents, ids, org, system

router = Router()
router.add_router("/", system.router)
router.add_router("/ids", ids.router)
router.add_router("/calendar", calendar.router)
router.add_router("/departments", org.router)
router.add_router("/audit", audit.router)
router.add_router("/documents", documents.router)
