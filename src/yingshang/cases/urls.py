"""Pages of the cases app under /cases/."""

from django.urls import path

from yingshang.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("window/", views.window, name="window"),
    path("window/new/", views.window_new, name="window-new"),
    path("inbox/", views.inbox, name="inbox"),
    path("progress/", views.progress, name="progress"),
    path("<str:case_no>/", views.detail, name="detail"),
    path("<str:case_no>/act/<str:action>/", views.act, name="act"),
]
