"""Pages of the trading app under /trading/."""

from django.urls import path

from yingshang.trading import views, views_evaluation

app_name = "trading"

urlpatterns = [
    path("", views.lot_list, name="lots"),
    path("queue/", views.queue, name="queue"),
    path("projects/new/", views.new_project, name="new-project"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/<str:action>/", views.lot_act, name="lot-act"),
    # Evaluation (评标)
    path("evaluation-plans/<int:pk>/", views_evaluation.plan_form, name="evaluation-plan"),
    path("evaluations/", views_evaluation.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", views_evaluation.evaluation_lot, name="evaluation"),
    path("evaluations/<int:pk>/act/<str:action>/", views_evaluation.evaluation_act, name="evaluation-act"),
    path("evaluations/<int:pk>/report.pdf", views_evaluation.report_pdf, name="evaluation-report-pdf"),
    path("evaluations/bids/<int:bid_id>/", views_evaluation.score_form, name="score"),
    path("clarifications/", views_evaluation.clarification_list, name="clarifications"),
    path("clarifications/<int:pk>/answer/", views_evaluation.clarification_answer, name="clarification-answer"),
]
