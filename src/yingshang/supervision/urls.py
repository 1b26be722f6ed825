"""Pages of the supervision app under /supervision/."""

from django.urls import path

from yingshang.supervision import views, views_ratings

app_name = "supervision"

urlpatterns = [
    path("", views.report, name="report"),
    path("cases/", views.cases, name="cases"),
    path("export.xlsx", views.export, name="export"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("refresh/", views.refresh, name="refresh"),
    path("ratings/", views_ratings.rating_list, name="ratings"),
    path("rectifications/", views_ratings.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views_ratings.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/<str:action>/", views_ratings.rectification_act, name="rectification-act"),
    path("rate/", views_ratings.my_ratings, name="my-ratings"),
    path("rate/<str:case_no>/", views_ratings.rate, name="rate"),
    path("evaluate/", views_ratings.evaluate, name="evaluate"),
]
