"""The demo city's themes (主题服务): life events of a person and stages of a business, as data.

Each row: (code, audience, name, summary, item codes). Items missing from the catalog (a department
the demo city lacks) are left out; seeding twice changes nothing (services.do_save_theme).
"""

from __future__ import annotations

from yingshang.catalog.choices import ThemeAudience

P, E = ThemeAudience.PERSON, ThemeAudience.ENTERPRISE

THEMES = (
    # --- Stages of a business (企业全生命周期) ---------------------------------------------------------
    ("start-business", E, "开办企业", "营业执照、印章、发票和税务登记一次办",
     ("610800-GG-2001", "610800-QT-0001", "610800-QT-0901", "610800-QT-1002", "610800-QT-1001", "610802-QT-0001")),
    ("food-business", E, "开办餐饮店", "食品经营许可、公共场所卫生许可、小餐饮登记",
     ("610800-GG-2002", "610800-XK-0001", "610800-XK-0101", "610802-QT-0003", "610802-QT-0002")),
    ("construction", E, "工程建设", "立项用地、规划许可、施工许可到竣工验收",
     ("610800-QT-0401", "610800-XK-0401", "610800-XK-0203", "610800-XK-0202", "610800-XK-0201", "610800-XK-0303",
      "610800-XK-0501", "610800-XK-0502", "610800-XK-1302", "610800-XK-0301", "610800-GG-2006", "610800-QT-0301")),
    ("business-change", E, "企业变更与注销", "变更登记、注销登记和清税",
     ("610800-QT-0002", "610800-QT-0003")),
    # --- A person's life events (个人全生命周期) -------------------------------------------------------
    ("marriage-birth", P, "婚育", "结婚登记、新生儿出生一件事",
     ("610800-QR-0801", "610800-GG-2005")),
    ("real-estate", P, "不动产登记", "首次登记、二手房交易、抵押登记",
     ("610800-GG-2004", "610800-QR-0201", "610800-QR-0202", "610800-QR-0203")),
    ("employment", P, "就业创业", "就业登记、失业保险金、个体工商户登记",
     ("610800-GG-0701", "610800-JF-0701", "610802-QT-0001", "610802-QT-0003")),
    ("social-security", P, "社保医保", "社会保障卡、医保关系转移、异地就医备案",
     ("610800-GG-0702", "610800-BM-1601", "610800-BM-1602", "610800-JF-0701")),
    ("school-id", P, "入学与证件", "义务教育入学报名、居民身份证换领",
     ("610800-GG-1501", "610800-QR-0901")),
)
