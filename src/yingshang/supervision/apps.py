from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "yingshang.supervision"
    label = "supervision"
    verbose_name = "电子监察"

    def ready(self) -> None:
        from yingshang.kernel import access, navigation
        from yingshang.supervision.services import common

        access.register_permissions(common.PERMISSIONS)
        navigation.register_nav_item("supervision", _("电子监察"), "supervision:report", permission=common.VIEW,
                                     order=300, exact=True, replace=True)
        navigation.register_nav_item("supervision-rectify", _("差评整改"), "supervision:rectifications",
                                     permission=common.RECTIFY, order=310, replace=True)
        navigation.register_nav_item("supervision-review", _("整改审核"), "supervision:rectifications",
                                     permission=common.REVIEW, order=311, replace=True)
        navigation.register_nav_item("supervision-rate", _("我的评价"), "supervision:my-ratings",
                                     permission=common.RATE, order=320, replace=True)
        navigation.register_nav_item("supervision-evaluate", _("评价办件"), "supervision:evaluate",
                                     audience=navigation.ANONYMOUS, order=155, replace=True,
                                     description=_("好差评：对办理过的事项作出评价，差评有整改、有回访"))
