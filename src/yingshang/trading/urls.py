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
