"""The demo city's organisation: 榆林市 (the city of seed 000), its districts, departments and halls.

Division codes are the real GB/T 2260 codes, so generated identifiers validate. Department codes are
`<division>-<abbreviation>`; halls end in `-HALLnn`.
"""

CITY = ("610800", "榆林市人民政府", "榆林市", "city", "610800")

DISTRICTS = (
    ("610802", "榆阳区人民政府", "榆阳区"),
    ("610803", "横山区人民政府", "横山区"),
    ("610881", "神木市人民政府", "神木市"),
    ("610822", "府谷县人民政府", "府谷县"),
    ("610824", "靖边县人民政府", "靖边县"),
    ("610825", "定边县人民政府", "定边县"),
)

# (code suffix, name, short name) of the city's departments.
CITY_DEPARTMENTS = (
    ("XZSP", "榆林市行政审批服务局", "市审批局"),
    ("FGW", "榆林市发展和改革委员会", "市发改委"),
    ("XYB", "榆林市社会信用体系建设办公室", "市信用办"),
    ("SCJG", "榆林市市场监督管理局", "市市场监管局"),
    ("ZRZY", "榆林市自然资源和规划局", "市自然资源局"),
    ("ZJ", "榆林市住房和城乡建设局", "市住建局"),
    ("STHJ", "榆林市生态环境局", "市生态环境局"),
    ("JT", "榆林市交通运输局", "市交通局"),
    ("WJ", "榆林市卫生健康委员会", "市卫健委"),
    ("JY", "榆林市教育局", "市教育局"),
    ("RS", "榆林市人力资源和社会保障局", "市人社局"),
    ("MZ", "榆林市民政局", "市民政局"),
    ("GA", "榆林市公安局", "市公安局"),
    ("SW", "国家税务总局榆林市税务局", "市税务局"),
    ("SWJ", "榆林市商务局", "市商务局"),
    ("WL", "榆林市文化和旅游局", "市文旅局"),
    ("YJ", "榆林市应急管理局", "市应急局"),
    ("SL", "榆林市水利局", "市水利局"),
    ("NY", "榆林市农业农村局", "市农业农村局"),
    ("CZ", "榆林市财政局", "市财政局"),
    ("KJ", "榆林市科学技术局", "市科技局"),
    ("YB", "榆林市医疗保障局", "市医保局"),
)

# Centres under the city: (code suffix, name, short name, kind, parent suffix or None for the city).
CENTRES = (
    ("ZWFW", "榆林市政务服务中心", "市政务服务中心", "centre", "XZSP"),
    ("JYZX", "榆林市公共资源交易中心", "市交易中心", "centre", None),
    ("12345", "榆林市12345政务服务便民热线中心", "12345热线", "centre", None),
)

# Halls: (code, name, parent code, address).
HALLS = (
    ("610800-HALL01", "榆林市市民大厦政务服务大厅", "610800-ZWFW", "榆林市高新区市民大厦一至三层"),
    ("610802-HALL01", "榆阳区政务服务大厅", "610802", "榆阳区沙河路政务服务中心"),
    ("610881-HALL01", "神木市政务服务大厅", "610881", "神木市滨河新区政务服务中心"),
)

# District departments that mirror city ones (the same items are handled at district level).
DISTRICT_DEPARTMENTS = (
    ("610802", "XZSP", "榆阳区行政审批服务局", "区审批局"),
    ("610802", "SCJG", "榆阳区市场监督管理局", "区市场监管局"),
    ("610881", "XZSP", "神木市行政审批服务局", "神木审批局"),
)

DEMO_PASSWORD = "Yingshang@2026"  # noqa: S105 - the published demo password

# Demo users: (username, real name, roles, department code, kind of identity: person | enterprise | staff).
USERS = (
    ("admin", "系统管理员", ("admin",), "610800", "staff"),
    ("zhangwei", "张伟", ("citizen",), None, "person"),
    ("hengtai", "李娜", ("enterprise",), None, "enterprise"),
    ("clerk", "王芳", ("window_clerk",), "610800-HALL01", "staff"),
    ("clerk_yy", "马丽", ("window_clerk",), "610802-HALL01", "staff"),
    ("reviewer_scjg", "刘洋", ("dept_reviewer",), "610800-SCJG", "staff"),
    ("reviewer_zrzy", "高峰", ("dept_reviewer",), "610800-ZRZY", "staff"),
    ("reviewer_wj", "郭敏", ("dept_reviewer",), "610800-WJ", "staff"),
    ("head_scjg", "陈静", ("dept_head", "dept_reviewer"), "610800-SCJG", "staff"),
    ("supervisor", "杨帆", ("supervisor",), "610800-ZWFW", "staff"),
    ("credit", "赵磊", ("credit_officer",), "610800-XYB", "staff"),
    ("trading", "黄敏", ("trading_staff",), "610800-JYZX", "staff"),
    ("expert", "周强", ("expert",), None, "person"),
    ("bidder", "吴昊", ("bidder",), None, "enterprise"),
    ("hotline", "徐丽", ("hotline_operator",), "610800-12345", "staff"),
    ("leader", "孙建国", ("leader",), "610800", "staff"),
)

ENTERPRISE_NAMES = {
    "hengtai": "榆林市恒泰能源科技有限公司",
    "bidder": "陕西秦川建设工程有限公司",
}
