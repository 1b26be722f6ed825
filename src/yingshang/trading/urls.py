"""Pages of the trading app under /trading/."""

from django.urls import path

from yingshang.trading import views, views_bids, views_evaluation

app_name = "trading"

urlpatterns = [
    path("", views.lot_list, name="lots"),
    path("queue/", views.queue, name="queue"),
    path("projects/new/", views.new_project, name="new-project"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/edit/", views.edit_lot, name="lot-edit"),
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

# Bid bonds (appended by the bonds work)
from yingshang.trading import views_bonds  # noqa: E402

urlpatterns += [
    path("bonds/", views_bonds.my_bonds, name="bonds"),
    path("bonds/lots/<int:pk>/", views_bonds.bond_page, name="bond"),
    path("bonds/lots/<int:pk>/sub-account/", views_bonds.bond_open, name="bond-open"),
    path("bonds/lots/<int:pk>/guarantee/", views_bonds.bond_guarantee, name="bond-guarantee"),
    path("bonds/lots/<int:pk>/requirement/", views_bonds.requirement_form, name="bond-requirement"),
    path("bonds/centre/", views_bonds.centre_lots, name="bonds-centre"),
    path("bonds/centre/lots/<int:pk>/", views_bonds.centre_lot, name="bond-centre-lot"),
    path("bonds/refunds/", views_bonds.refunds, name="refunds"),
    path("bonds/refunds/<int:pk>/send/", views_bonds.refund_send, name="refund-send"),
]

from yingshang.trading import views_award, views_complaints  # noqa: E402  (the award work, §8–§9)

urlpatterns += [
    path("award/<int:pk>/", views_award.award_page, name="award"),
    path("award/<int:pk>/contract/", views_award.contract_upload, name="award-contract"),
    path("award/<int:pk>/archive.zip", views_award.archive_download, name="award-archive"),
    path("award/<int:pk>/objections/<int:objection_id>/answer/", views_award.answer_objection,
         name="award-answer"),
    path("award/<int:pk>/<str:action>/", views_award.award_act, name="award-act"),
    path("complain/<int:pk>/", views_complaints.new_complaint, name="complaint-new"),
    path("contracts/", views_award.contracts_due, name="contracts-due"),
    path("my/results/", views_award.my_results, name="my-results"),
    path("complaints/", views_complaints.complaint_list, name="complaints"),
    path("complaints/malicious/", views_complaints.malicious_list, name="complaints-malicious"),
    path("complaints/<int:pk>/", views_complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/<str:action>/", views_complaints.complaint_act, name="complaint-act"),
    path("public/results/", views_complaints.public_results, name="public-results"),
    path("public/results/<int:pk>/", views_complaints.public_result, name="public-result"),
    path("public/complaints/", views_complaints.public_complaints, name="public-complaints"),
]

urlpatterns += views_bids.urlpatterns  # sealed bids (issue 12 §4), under bids/

# Announcements, documents, clarifications, objections (issue 12 §2).
from yingshang.trading import views_announcements as va  # noqa: E402

urlpatterns = [
    path("public/", va.public_list, name="public"),
    path("public/<int:pk>/", va.public_detail, name="public-detail"),
    path("lots/<int:pk>/tender/announce/", va.announce, name="announce"),
    path("lots/<int:pk>/tender/clarify/", va.clarify, name="clarify"),
    path("lots/<int:pk>/tender/objections/<int:objection_id>/answer/", va.answer, name="answer-objection"),
    path("lots/<int:pk>/tender/terminate/", va.terminate, name="terminate"),
    path("objections/", va.pending_objections, name="objections"),
    path("bidder/", va.bidder_home, name="bidder"),
    path("bidder/lots/<int:pk>/", va.bidder_lot, name="bidder-lot"),
    path("bidder/lots/<int:pk>/objection/", va.file_objection, name="file-objection"),
    path("documents/<int:document_id>/download/", va.download, name="download"),
    *urlpatterns,
]

# The opening hall (appended by the opening work).
from yingshang.trading import views_opening  # noqa: E402

urlpatterns += views_opening.urlpatterns

# Expert database and draw (issue 12 §6).
from yingshang.trading import views_experts  # noqa: E402

urlpatterns += [
    path("experts/", views_experts.expert_list, name="experts"),
    path("experts/new/", views_experts.expert_new, name="expert-new"),
    path("experts/<int:pk>/", views_experts.expert_detail, name="expert"),
    path("experts/<int:pk>/edit/", views_experts.expert_edit, name="expert-edit"),
    path("experts/<int:pk>/<str:action>/", views_experts.expert_act, name="expert-act"),
    path("draws/lot/<int:pk>/", views_experts.lot_draw, name="lot-draw"),
    path("draws/lot/<int:pk>/prepare/", views_experts.lot_draw_prepare, name="lot-draw-prepare"),
    path("draws/<int:pk>/<str:action>/", views_experts.draw_act, name="draw-act"),
    path("me/expert/", views_experts.my_expert, name="my-expert"),
    path("invitations/<int:pk>/reply/", views_experts.invitation_reply, name="invitation-reply"),
]
