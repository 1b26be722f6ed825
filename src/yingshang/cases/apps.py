from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yingshang.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from yingshang.cases import queries  # registers the prefix lookup, counts item usage
        from yingshang.cases.services import common, notices
        from yingshang.kernel import access, hooks, navigation
        from yingshang.kernel.services.documents import register_document_kind

        access.register_permissions(common.PERMISSIONS)
        hooks.ITEM_USAGE.register(queries.item_usage)  # the portal's most used items
        for kind, (label, _suffix) in notices.KINDS.items():
            register_document_kind(kind, label)
        navigation.register_nav_item("cases-window", _("综合受理"), "cases:window", permission=common.ACCEPT,
                                     order=120, replace=True)
        navigation.register_nav_item("cases-inbox", _("部门待办"), "cases:inbox", permission=common.REVIEW,
                                     order=130, replace=True)
        # exact: every case page sits under /cases/, and the window and inbox have their own items
        navigation.register_nav_item("cases-list", _("办件查询"), "cases:list", permission=common.VIEW,
                                     order=140, exact=True, replace=True)
        navigation.register_nav_item("cases-progress", _("办件进度"), "cases:progress",
                                     audience=navigation.PUBLIC, order=150, replace=True,
                                     description=_("凭办件编号和证件号码后四位查询办理进度"))
        # Applicants (citizens, enterprises): online application, their cases, the material library.
        navigation.register_nav_item("cases-apply", _("网上申报"), "cases:apply", permission=common.APPLY,
                                     order=110, replace=True)
        navigation.register_nav_item("cases-mine", _("我的办件"), "cases:mine", permission=common.APPLY,
                                     order=111, replace=True)
        navigation.register_nav_item("cases-library", _("材料库"), "cases:library", permission=common.APPLY,
                                     order=112, replace=True)
