from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TradingConfig(AppConfig):
    name = "yingshang.trading"
    label = "trading"
    verbose_name = "公共资源交易"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yingshang.kernel import access, navigation

        post_migrate.connect(_ensure_rules_data, sender=self)
        from yingshang.trading.services import common

        access.register_permissions(common.PERMISSIONS)
        navigation.register_nav_item("trading-queue", _("进场登记审核"), "trading:queue", permission=common.REVIEW,
                                     order=400, replace=True)
        navigation.register_nav_item("trading-lots", _("交易项目"), "trading:lots", permission=common.VIEW, order=401,
                                     replace=True)
        navigation.register_nav_item("trading-register", _("登记招标项目"), "trading:new-project",
                                     permission=common.REGISTER, order=402, replace=True)
        from yingshang.trading.services import bond_refunds  # bonds: refunds follow the contract and the close

        bond_refunds.register_hooks()
        from yingshang.trading import hooks
        from yingshang.trading.services import announcements

        hooks.NEXT_MOMENTS.register(announcements.objection_moments)
        from yingshang.trading.services import opening_decrypt  # openings at the deadline, windows that end

        hooks.TIMED.register(opening_decrypt.on_timed)
        hooks.NEXT_MOMENTS.register(opening_decrypt.next_moments)
        navigation.register_nav_item("trading-bonds", _("投标保证金"), "trading:bonds", permission=common.BOND_SECURE,
                                     order=403, replace=True)
        navigation.register_nav_item("trading-refunds", _("保证金退付"), "trading:refunds",
                                     permission=common.BOND_MANAGE, order=404, replace=True)
        navigation.register_nav_item("trading-bids", _("我的投标"), "trading:bids-mine", permission=common.BID,
                                     order=405, replace=True)
        # Issue 12 §2: public announcements, the bidder's documents, the centre's pending objections.
        navigation.register_nav_item("trading-public", _("交易公告"), "trading:public", audience=navigation.PUBLIC,
                                     order=420, replace=True, description=_("招标公告、澄清修改、中标公示，无需登录"))
        navigation.register_nav_item("trading-bidder", _("招标公告 / 我下载的招标文件"), "trading:bidder",
                                     permission=common.DOWNLOAD, order=421, replace=True)
        navigation.register_nav_item("trading-objections", _("招标文件异议"), "trading:objections",
                                     permission=common.REVIEW, order=422, replace=True)
        _ready_award(navigation, common)
        _ready_evaluation()
        _ready_opening()
        _ready_experts(self)


def _ready_award(navigation, common) -> None:
    """The award work (§8–§9): its pages in the navigation and its document kinds on /verify/."""
    from yingshang.kernel.services.documents import register_document_kind

    register_document_kind("trading_award_notice", "中标通知书")
    register_document_kind("trading_certificate", "公共资源交易凭证")
    for key, label, url, permission, order in (
            ("trading-my-results", _("我的投标结果"), "trading:my-results", common.OBJECT, 410),
            ("trading-complaints", _("投诉处理"), "trading:complaints", common.COMPLAINTS, 411),
            ("trading-my-complaints", _("我的投诉"), "trading:complaints", common.OBJECT, 412),
            ("trading-contracts", _("待签合同"), "trading:contracts-due", common.ARCHIVE, 413),
            ("trading-malicious", _("恶意投诉记录"), "trading:complaints-malicious", common.MALICIOUS, 414)):
        navigation.register_nav_item(key, label, url, permission=permission, order=order, replace=True)
    navigation.register_nav_item("trading-public-results", _("中标公示"), "trading:public-results",
                                 audience=navigation.PUBLIC, order=415, replace=True,
                                 description=_("中标候选人公示、中标结果和投诉处理决定"))


def _ensure_rules_data(sender, using="default", **kwargs) -> None:
    """The procedure and threshold rows of rules.py after every migrate and flush (`demo --reset`, transactional
    tests): a flush empties the tables that migration 0002 filled."""
    from django.db import connections

    from yingshang.trading.models import MustTenderThreshold, Procedure
    from yingshang.trading.services.rulebook import ensure_rules_data

    tables = connections[using].introspection.table_names()
    if using == "default" and {Procedure._meta.db_table, MustTenderThreshold._meta.db_table} <= set(tables):
        ensure_rules_data()  # not after `migrate trading zero`


def _ready_evaluation() -> None:
    """Evaluation (评标): the report's document kind and the committee's, centre's and bidders' pages."""
    from yingshang.kernel import navigation
    from yingshang.kernel.services.documents import register_document_kind
    from yingshang.trading.services import common, evaluation_report

    register_document_kind(evaluation_report.DOCUMENT_KIND, "评标报告")
    navigation.register_nav_item("trading-evaluations", _("评标"), "trading:evaluations",
                                 permission=common.EVALUATE, order=406, replace=True)
    navigation.register_nav_item("trading-evaluations-centre", _("评标组织"), "trading:evaluations",
                                 permission=common.MANAGE_EVALUATION, order=407, replace=True)
    navigation.register_nav_item("trading-clarifications", _("评标澄清"), "trading:clarifications",
                                 permission=common.ANSWER_CLARIFICATION, order=408, replace=True)


def _ready_opening() -> None:
    """The opening's navigation entry and document kind (appended by the opening work; called from ready())."""
    from yingshang.kernel import navigation
    from yingshang.kernel.services.documents import register_document_kind
    from yingshang.trading.services import common

    navigation.register_nav_item("trading-opening", _("开标大厅"), "trading:opening", permission=common.HALL,
                                 order=409, replace=True)
    register_document_kind("trading_opening_record", "开标记录")


def _ready_experts(config) -> None:
    """Expert database and draw (issue 12 §6): the seeded specialties after migrate/flush, the nav items."""
    from yingshang.kernel import navigation
    from yingshang.trading.services import common

    post_migrate.connect(_ensure_specialties, sender=config)
    navigation.register_nav_item("trading-experts", _("评标专家库"), "trading:experts", permission=common.EXPERTS,
                                 order=423, replace=True)
    navigation.register_nav_item("trading-my-expert", _("我的评标"), "trading:my-expert", permission=common.EXPERT_SELF,
                                 order=424, replace=True)


def _ensure_specialties(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from yingshang.trading.models import Specialty
    from yingshang.trading.services.experts import ensure_specialties

    if using == "default" and Specialty._meta.db_table in connections[using].introspection.table_names():
        ensure_specialties()
