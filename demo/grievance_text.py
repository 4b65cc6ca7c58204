"""Chinese phrases and weights for the demo grievances and visits (grievances/demo.py)."""

from grievances.models import Grievance, Revisit

H = Grievance.HandlingMode
SAT = Revisit.Satisfaction

TOPICS = [
    "无事串门，了解家庭近况",
    "宣传防溺水安全知识",
    "检查用电、用气、用火安全",
    "宣传城乡居民医保缴费政策",
    "了解老人身体和生活情况",
    "宣传移风易俗、文明新风",
    "了解留守儿童学习生活情况",
    "宣传森林防火和禁烧政策",
    "了解务工就业和收入情况",
    "宣传反诈骗知识",
]
DESCRIPTIONS = {
    "基础设施": [
        "组里道路破损，雨天积水难行",
        "村口路灯坏了，晚上出行不便",
        "自来水管道漏水，水压不足",
        "水渠淤塞，灌溉困难",
    ],
    "土地": ["宅基地界址不清，与邻户有争议", "承包地被他人占用", "土地流转租金未按时支付"],
    "社保医保": ["养老保险待遇未按时到账", "住院医保报销比例咨询", "低保待遇复核进度咨询", "残疾人补贴申请咨询"],
    "环境卫生": ["垃圾收集点清运不及时", "生活污水直排进水沟", "养殖场气味大影响生活"],
    "就业": ["希望参加技能培训", "返乡人员求职需要推荐岗位", "务工工资被拖欠"],
    "治安": ["夜间有陌生人在村里徘徊", "电动车被盗", "路口车速过快存在安全隐患"],
    "邻里": ["邻居占道堆放杂物", "建房滴水引发邻里矛盾", "家禽散养损坏菜地"],
    "其他": ["子女入学政策咨询", "危房改造政策咨询", "婚丧事宜简办咨询"],
}
RESOLUTIONS = {
    H.ON_SPOT: ["邻长当场协调解决", "组长现场处理完毕", "当场帮助办理"],
    H.EXPLAINED: ["已向群众解释相关政策，群众表示理解", "已答复办理流程和所需材料", "已说明情况并告知后续安排"],
    H.ESCALATED: ["上级部门已派人处理完毕", "已按上级答复落实到位", "相关部门已完成整改"],
}
DEPARTMENTS = [
    "县交通运输局",
    "县水利局",
    "县人社局",
    "县医保局",
    "县自然资源局",
    "县生态环境局",
    "县公安局",
    "县民政局",
]
REPLIES = ["已列入近期工作计划，将安排人员处理", "已转相关股室办理，限期答复群众", "经研究同意解决，近期实施"]
COMMENTS = {SAT.SATISFIED: ["很满意，办事快", "谢谢邻长", ""], SAT.BASIC: ["基本解决了", "时间长了点", ""]}
UNSATISFIED = ["问题没有根本解决", "办理太慢，还没有落实", "答复不清楚"]
OTHER_CHANNELS = [
    (Grievance.Channel.PHONE, 30),
    (Grievance.Channel.WECHAT, 25),
    (Grievance.Channel.WALK_IN, 20),
    (Grievance.Channel.TALK_DAY, 12),
    (Grievance.Channel.MEETING, 8),
    (Grievance.Channel.REFERRED, 5),
]
URGENCY_DAYS = [
    (Grievance.Urgency.NORMAL, 15, 80),
    (Grievance.Urgency.URGENT, 7, 15),
    (Grievance.Urgency.CRITICAL, 3, 5),
]
