"""The public service guide under /guide/ (no login)."""

from django.urls import path

from yingshang.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/print/", views.printable, name="print"),
    path("<str:code>/qr.svg", views.qr, name="qr"),
]
