"""The seeded specialty classification (专业分类), modelled on 《评标专家专业分类标准（试行）》
(发改法规〔2010〕1538号): three top classes A 工程、B 货物、C 服务, two-digit groups and four-digit specialties.
The codes and names here are a realistic subset — **verify** them against the standard's tables before
production; the centre edits the tree in the admin (every change audited)."""

SOURCE = "《评标专家专业分类标准（试行）》（发改法规〔2010〕1538号）——编码待核实"

SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("A", "工程类"),
    ("A01", "工程勘察"),
    ("A02", "工程设计"),
    ("A03", "工程监理"),
    ("A04", "工程造价"),
    ("A0401", "建筑工程造价"),
    ("A0402", "市政及公路工程造价"),
    ("A08", "房屋建筑"),
    ("A0801", "施工"),
    ("A0802", "装饰装修"),
    ("A0803", "建筑安装"),
    ("A09", "市政公用工程"),
    ("A0901", "道路与桥梁"),
    ("A0902", "给水排水"),
    ("A0903", "燃气热力"),
    ("A10", "公路工程"),
    ("A1001", "路基路面"),
    ("A1002", "桥梁隧道"),
    ("A11", "水利水电工程"),
    ("A1101", "水工建筑"),
    ("A1102", "农田水利"),
    ("A13", "电力工程"),
    ("A14", "矿山与煤炭工程"),
    ("B", "货物类"),
    ("B01", "通用机械设备"),
    ("B02", "电子信息设备"),
    ("B0201", "计算机及网络设备"),
    ("B0202", "安防监控设备"),
    ("B03", "医疗器械"),
    ("B0301", "医学影像设备"),
    ("B0302", "检验检测设备"),
    ("B04", "车辆"),
    ("B05", "办公设备及家具"),
    ("C", "服务类"),
    ("C01", "法律服务"),
    ("C02", "经济服务"),
    ("C0201", "财务审计"),
    ("C0202", "招标采购"),
    ("C03", "信息技术服务"),
    ("C04", "物业管理服务"),
    ("C05", "工程咨询服务"),
)


def parent_code(code: str) -> str | None:
    """A → None, A08 → A, A0801 → A08."""
    return None if len(code) == 1 else code[:1] if len(code) == 3 else code[:-2]
