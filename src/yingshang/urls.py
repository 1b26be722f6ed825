from django.contrib import admin
from django.urls import include, path

from yingshang.api import api
from yingshang.kernel.routing import group_by_prefix

admin.site.site_header = "营商平台 后台管理"
admin.site.site_title = "营商平台"
admin.site.index_title = "后台数据维护"

_patterns, _app_name, _namespace = api.urls
_api_urls = (group_by_prefix(_patterns), _app_name, _namespace)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", _api_urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guide/", include("yingshang.catalog.urls")),
    path("cases/", include("yingshang.cases.urls")),
    path("credit/", include("yingshang.credit.urls")),
    path("supervision/", include("yingshang.supervision.urls")),
    path("licences/", include("yingshang.licences.urls")),
    path("trading/", include("yingshang.trading.urls")),
    path("", include("yingshang.kernel.urls")),
]
