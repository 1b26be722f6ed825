"""Pages of the cases app under /cases/."""

from django.urls import path

from yingshang.cases import views, views_applicant

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("window/", views.window, name="window"),
    path("window/new/", views.window_new, name="window-new"),
    path("inbox/", views.inbox, name="inbox"),
    path("progress/", views.progress, name="progress"),
    # Online application and the applicant's pages (before the catch-all <case_no>).
    path("apply/", views_applicant.apply_index, name="apply"),
    path("apply/<str:item_code>/", views_applicant.apply_form, name="apply-item"),
    path("apply/<str:item_code>/<int:case_id>/", views_applicant.apply_form, name="apply-draft"),
    path("mine/", views_applicant.mine, name="mine"),
    path("mine/<str:case_no>/", views_applicant.mine_detail, name="mine-detail"),
    path("mine/<str:case_no>/withdraw/", views_applicant.mine_withdraw, name="mine-withdraw"),
    path("library/", views_applicant.library_page, name="library"),
    path("library/<int:entry_id>/delete/", views_applicant.library_delete, name="library-delete"),
    path("files/<int:file_id>/", views_applicant.file_download, name="file"),
    path("<str:case_no>/", views.detail, name="detail"),
    path("<str:case_no>/act/<str:action>/", views.act, name="act"),
]
