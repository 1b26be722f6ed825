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

# The opening hall (appended by the opening work).
from yingshang.trading import views_opening  # noqa: E402

urlpatterns += views_opening.urlpatterns
