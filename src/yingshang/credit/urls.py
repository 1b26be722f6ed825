"""Credit pages under /credit/: the public 信用公示 (no sign-in) and the staff pages."""

from django.urls import path

from yingshang.credit import views, views_public

app_name = "credit"

urlpatterns = [
    path("public/", views_public.records, name="public"),
    path("public/lists/", views_public.entries, name="public-lists"),
    path("public/<str:kind>/<int:pk>/", views_public.record_detail, name="public-record"),
    path("", views.home, name="home"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/progress/", views.batch_progress, name="batch-progress"),
    path("imports/<int:pk>/rerun/", views.batch_rerun, name="batch-rerun"),
    path("imports/<int:pk>/corrections.xlsx", views.batch_corrections, name="batch-corrections"),
    path("quality/duplicates/", views.duplicates, name="duplicates"),
    path("quality/duplicates.xlsx", views.duplicates_export, name="duplicates-export"),
    path("lists/", views.entries, name="lists"),
    path("lists/designate/", views.designate, name="designate"),
    path("lists/<int:pk>/", views.entry_detail, name="entry"),
    path("lists/<int:pk>/remove/", views.entry_remove, name="entry-remove"),
    path("lists/<int:pk>/attachment/", views.entry_attachment, name="entry-attachment"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("check/", views.check_page, name="check"),
]
