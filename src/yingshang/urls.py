from django.contrib import admin
from django.urls import include, path

from yingshang.api import api

admin.site.site_header = "营商平台 后台管理"
admin.site.site_title = "营商平台"
admin.site.index_title = "后台数据维护"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guide/", include("yingshang.catalog.urls")),
    path("cases/", include("yingshang.cases.urls")),
    path("credit/", include("yingshang.credit.urls")),
    path("supervision/", include("yingshang.supervision.urls")),
    path("licences/", include("yingshang.licences.urls")),
    path("", include("yingshang.kernel.urls")),
]
