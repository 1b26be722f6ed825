from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradingConfig(AppConfig):
    name = "yingshang.trading"
    label = "trading"
    verbose_name = "公共资源交易"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yingshang.kernel import access, navigation
        from yingshang.trading.services import common

        access.register_permissions(common.PERMISSIONS)
        navigation.register_nav_item("trading-queue", _("进场登记审核"), "trading:queue", permission=common.REVIEW,
                                     order=400, replace=True)
        navigation.register_nav_item("trading-lots", _("交易项目"), "trading:lots", permission=common.VIEW, order=401,
                                     replace=True)
        navigation.register_nav_item("trading-register", _("登记招标项目"), "trading:new-project",
                                     permission=common.REGISTER, order=402, replace=True)
