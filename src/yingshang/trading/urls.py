"""Pages of the trading app under /trading/."""

from django.urls import path

from yingshang.trading import views

app_name = "trading"

urlpatterns = [
    path("", views.lot_list, name="lots"),
    path("queue/", views.queue, name="queue"),
    path("projects/new/", views.new_project, name="new-project"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/<str:action>/", views.lot_act, name="lot-act"),
]

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
