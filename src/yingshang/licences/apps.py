from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "yingshang.licences"
    label = "licences"
    verbose_name = "电子证照"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yingshang.kernel import access, navigation
        from yingshang.licences.services import PERMISSIONS, VIEW_OWN

        access.register_permissions(PERMISSIONS)
        navigation.register_nav_item("licences", _("我的证照"), "licences:list", permission=VIEW_OWN, order=330,
                                     replace=True)
