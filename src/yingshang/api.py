"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yingshang.kernel.errors import ServiceError
from yingshang.kernel.kept import run_kept

api = NinjaAPI(
    title="营商平台 API",
    version="1",
    description=(
        "营商（Yingshang）平台的开放接口。错误响应统一为 `{\"code\": 机器可读代码, \"message\": 中文说明, "
        "\"details\": 可选细节}`。系统对接使用 Bearer 令牌；浏览器使用登录会话（需 CSRF 令牌）。"
    ),
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    run_kept(exc)
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {"field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None, "message": err.get("msg", "")}
        for err in exc.errors
    ]
    return _error(request, 422, "invalid_input", "请求参数不正确，请检查后重试", details)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "请先登录或提供有效的接口令牌")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", str(exc) or "您没有执行此操作的权限")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "请求的对象不存在")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and "parse" in str(exc).lower():
        return _error(request, 422, "invalid_input", "请求体不是合法的 JSON，请检查后重试")
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(DataError)
def on_data_error(request, exc: DataError):
    # A value the database cannot hold (a NUL character in a text, a number beyond its column) that no
    # schema caught: the input is wrong, not the server. The transaction at the edge has rolled back.
    return _error(request, 422, "invalid_input", "输入的数据包含不允许的字符或超出允许范围，请检查后重试")


def _mount() -> None:
    from yingshang.cases.api import router as cases_router
    from yingshang.catalog.api import router as catalog_router
    from yingshang.credit.api import router as credit_router
    from yingshang.kernel.api.routes import router as kernel_router
    from yingshang.licences.api import router as licences_router
    from yingshang.supervision.api import router as supervision_router
    from yingshang.trading.api import router as trading_router

    api.add_router("/", kernel_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/cases", cases_router)
    api.add_router("/credit", credit_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/licences", licences_router)
    api.add_router("/trading", trading_router)


_mount()
