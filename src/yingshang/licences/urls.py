"""Pages of the e-licence wallet under /licences/."""

from django.urls import path

from yingshang.licences import views

app_name = "licences"

urlpatterns = [
    path("", views.licence_list, name="list"),
    path("<int:pk>/", views.licence_detail, name="detail"),
    path("<int:pk>/pdf/", views.licence_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.licence_revoke, name="revoke"),
]
