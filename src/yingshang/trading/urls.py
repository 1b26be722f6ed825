"""Pages of the trading app under /trading/."""

from django.urls import path

from yingshang.trading import views

app_name = "trading"

urlpatterns = [
    path("", views.lot_list, name="lots"),
    path("queue/", views.queue, name="queue"),
    path("projects/new/", views.new_project, name="new-project"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/edit/", views.edit_lot, name="lot-edit"),
    path("lots/<int:pk>/<str:action>/", views.lot_act, name="lot-act"),
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
