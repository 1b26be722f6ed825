"""Credit pages under /credit/: the public 信用公示 (no sign-in) and the staff pages."""

from django.urls import path

import yingshang.credit.views_handling as handling_views
import yingshang.credit.views_self as views_self
from yingshang.credit import views, views_dashboard, views_monitoring, views_public

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
    # objection, repair, commitments, credit report (issue 4 §7, §8, §10)
    path("me/", views_self.home, name="me"),
    path("me/objections/new/<str:kind>/<int:pk>/", views_self.objection_new, name="objection-new"),
    path("me/repairs/new/<str:kind>/<int:pk>/", views_self.repair_new, name="repair-new"),
    path("me/report/", views_self.my_report, name="my-report"),
    path("report/", views_self.report_page, name="report"),
    path("subjects/<int:pk>/report/", views_self.subject_report, name="subject-report"),
    path("handling/objections/", handling_views.objection_queue, name="handling-objections"),
    path("handling/objections/<int:pk>/", handling_views.objection_detail, name="handling-objection"),
    path("handling/objections/<int:pk>/decide/", handling_views.objection_decide, name="handling-objection-decide"),
    path("handling/repairs/", handling_views.repair_queue, name="handling-repairs"),
    path("handling/repairs/<int:pk>/", handling_views.repair_detail, name="handling-repair"),
    path("handling/repairs/<int:pk>/decide/", handling_views.repair_decide, name="handling-repair-decide"),
    path("handling/<str:which>/<int:pk>/evidence/<int:index>/", handling_views.evidence, name="evidence"),
    path("handling/behalf/", handling_views.behalf, name="behalf"),
    path("commitments/", handling_views.commitment_list, name="commitments"),
    path("commitments/new/", handling_views.commitment_new, name="commitment-new"),
    path("commitments/<int:pk>/", handling_views.commitment_detail, name="commitment"),
    # quality monitoring, scores, dashboard (issue 4 §3, §9, §11)
    path("quality/", views_monitoring.quality, name="quality"),
    path("quality/ranking.xlsx", views_monitoring.quality_xlsx, name="quality-xlsx"),
    path("quality/ranking.pdf", views_monitoring.quality_pdf, name="quality-pdf"),
    path("dashboard/", views_dashboard.dashboard_page, name="dashboard"),
    path("subjects/<int:pk>/score/", views_dashboard.subject_score, name="subject-score"),
]
