"""Demo data for 群众议事: opinions collected in every village, and matters in every step of the six
(提事, 谋事, 公示 with an objection, a vote without a quorum then a passing one, 表决未通过, 审事,
评事, 办结) and one matter rejected, written through deliberation.services so the timelines are the
real ones; their times are then set to the steps' days.

Demo scale only (the county scale has no logins to look at it). Idempotent: a county whose
villages have matters is skipped.
"""

import datetime
import time

from auditlog.context import disable_auditlog
from django.utils import timezone

from accounts.models import User
from deliberation import services
from deliberation.models import Ballot, Matter, MatterEvent, Opinion, SurveyAnswer, Vote
from governance.models import Person, Unit
from households.models import Household
from training.models import Meeting

S = Matter.Status
TOPICS = [
    ("修路", "组里通往主路的一段泥巴路下雨天走不了，希望硬化。"),
    ("饮水", "夏天用水高峰时自来水压力小，楼上接不到水。"),
    ("路灯", "村口到学校的路段没有路灯，孩子晚自习回家不安全。"),
    ("垃圾清运", "垃圾桶放得太远，清运不及时，天热有味道。"),
    ("文化广场", "希望在村部旁建一个小广场，晚上可以跳广场舞。"),
    ("集体资金", "村里出租山林的收入怎么用，希望公开讨论。"),
    ("村规民约", "红白喜事大操大办，希望村规民约定个标准。"),
    ("水渠", "灌溉水渠多处垮塌，影响春耕用水。"),
]
# (title, category, cost, the last step reached, the opinions' topic); every village gets a share.
MATTERS = [
    ("硬化三组至五组通组公路", Matter.Category.ROAD, 180000, "closed", "修路"),
    ("修复村东灌溉水渠", Matter.Category.WATER, 65000, "evaluating", "水渠"),
    ("村口至学校路段安装路灯", Matter.Category.WELFARE, 42000, "supervising", "路灯"),
    ("山林出租收入用于修建文化广场", Matter.Category.FUNDS, 120000, "decided", "文化广场"),
    ("修订村规民约（红白喜事标准）", Matter.Category.RULES, None, "notice_no_quorum", "村规民约"),
    ("增设垃圾集中收集点", Matter.Category.ENVIRONMENT, 15000, "notice", "垃圾清运"),
    ("新建村部停车场", Matter.Category.OTHER, 90000, "voted_down", None),
    ("饮水管网改造（二期）", Matter.Category.WATER, 300000, "consulting", "饮水"),
    ("组道两侧绿化", Matter.Category.ENVIRONMENT, 20000, "proposed", None),
    ("村集体出资建商铺", Matter.Category.FUNDS, 500000, "rejected", "集体资金"),
]
OPINIONS_PER_VILLAGE = 24


def seed(*, county, rng, scale=None, stdout=None):
    if scale == "county":
        return None
    villages = list(Unit.objects.filter(path__startswith=county.path, level=Unit.Level.VILLAGE).order_by("path"))
    if not villages or Matter.objects.filter(village__in=[v.pk for v in villages]).exists():
        _say(stdout, "  群众议事演示数据已存在，跳过。")
        return None
    started = time.perf_counter()
    user = acting_user()
    with disable_auditlog():
        counts = {"opinions": 0, "matters": 0}
        for index, village in enumerate(villages):
            seeder = VillageSeeder(village, user, rng)
            counts["opinions"] += seeder.opinions()
            # The first village gets every step; the others a rotating half of them.
            chosen = MATTERS if index == 0 else [m for i, m in enumerate(MATTERS) if (i + index) % 2 == 0]
            for spec in chosen:
                seeder.matter(*spec)
                counts["matters"] += 1
    _say(
        stdout,
        f"  民意 {counts['opinions']} 条，议事事项 {counts['matters']} 件（{time.perf_counter() - started:.1f} 秒）",
    )
    return counts


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def acting_user():
    """The demo superuser (created here on a fresh database; seed_demo resets its password later)."""
    user, _ = User.objects.get_or_create(
        username="admin", defaults={"is_superuser": True, "is_staff": True, "name": "周建华"}
    )
    if not (user.is_superuser and user.is_active):
        user.is_superuser, user.is_active = True, True
        user.save(update_fields=["is_superuser", "is_active"])
    return user


class VillageSeeder:
    def __init__(self, village, user, rng):
        self.village, self.user, self.rng = village, user, rng
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.households = list(Household.objects.filter(village=village).order_by("pk"))
        self.people = list(Person.objects.filter(village=village).order_by("pk")[:40])

    def meeting(self, ago, kind, topic, attendance):
        """The 恳谈会 or 村民代表大会 where a step took place (the 队伍建设 app's meeting register)."""
        return Meeting.objects.create(unit=self.village, kind=kind, held_on=self.ago(ago), topic=topic[:100],
                                      host="村党支部书记", attendance_count=attendance)  # fmt: skip

    def ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def opinions(self):
        for i in range(OPINIONS_PER_VILLAGE):
            topic, text = TOPICS[i % len(TOPICS)]
            household = self.rng.choice(self.households) if self.households else None
            channel = self.rng.choice(Opinion.Channel.values)
            services.record_opinion(
                user=self.user, household=household, village=self.village, topic=topic, text=text, channel=channel,
                collected_by=self.rng.choice(self.people) if self.people else None,
                collected_on=self.ago(self.rng.randrange(20, 150)),
            )  # fmt: skip
        return OPINIONS_PER_VILLAGE

    def matter(self, title, category, cost, reached, topic):
        days = []  # the day of each timeline event, in order
        return self.dated(self.steps(title, category, cost, reached, topic, days), days)

    def steps(self, title, category, cost, reached, topic, days):
        opinions = list(Opinion.objects.filter(village=self.village, matter__isnull=True, topic=topic)[:2])
        m = services.propose_matter(
            user=self.user, village=self.village, title=title, category=category, estimated_cost=cost,
            description=f"{title}。依据群众反映，经村党支部提议。", proposer="村党支部",
            proposed_on=self.ago(120), opinions=opinions,
        )  # fmt: skip
        days.append(self.ago(120))
        if reached == "proposed":
            return m
        m = self.step(services.consult, m, days, 110, held_on=self.ago(110), body="committees",
                      participants="村两委成员7人", options="方案一：一次建成；方案二：分两期实施。",
                      suggestions="张建国：分两期实施，先修最急的一段\n李秀兰：请村民投工投劳，节省费用")  # fmt: skip
        meeting = self.meeting(104, Meeting.Kind.TALK, f"群众议事恳谈会：{title}", 38)
        m = self.step(services.consult, m, days, 104, held_on=self.ago(104), body="talk", meeting=meeting,
                      participants="村民代表及群众38人",
                      suggestions="王德明：施工期间注意排水\n刘芳：账目按月公开")  # fmt: skip
        if reached == "consulting":
            return m
        if reached == "rejected":
            return self.step(
                services.reject_matter, m, days, 100, reason="投资过大，村集体资金不足，经两委研究暂不立项。"
            )
        adopted = list(m.suggestions.order_by("pk"))[::2]
        start = self.ago(96 if reached != "notice" else 3)
        m = self.step(services.publish_notice, m, days, (self.today - start).days, text=plan_text(m, adopted),
                      posted_at="村务公开栏、各组公示牌", start_on=start,
                      end_on=start + datetime.timedelta(days=6), adopted=adopted)  # fmt: skip
        if reached == "notice":
            return self.step(services.record_objection, m, days, 1, received_on=self.ago(1), raised_by="赵有福",
                             text="收集点离我家太近", response="已调整到组道路口，离住户50米以上。")  # fmt: skip
        households = max(len(self.households), 20)  # 应到: the households (a 村民会议 of household heads)
        if reached == "notice_no_quorum":  # a 村民会议 without the quorum: invalid, to be held again
            return self.vote(m, days, 86, Vote.Body.ASSEMBLY, households, households // 2, households // 2 - 4)
        if reached == "voted_down":
            present = households * 2 // 3
            return self.vote(m, days, 86, Vote.Body.ASSEMBLY, households, present, present // 3)
        m = self.vote(m, days, 88, Vote.Body.ASSEMBLY, households, households // 3, households // 4)  # no quorum
        m = self.representatives_vote(m, days, 84) or self.vote(
            m, days, 84, Vote.Body.ASSEMBLY, households, households * 3 // 4, households * 3 // 5
        )
        if reached == "decided":
            return m
        for n, (ago, progress, spent) in enumerate([(60, "开工，完成基础施工", 0.4), (30, "主体完工，正在收尾", 0.5)]):
            m = self.step(services.record_supervision, m, days, ago, entry_on=self.ago(ago),
                          supervisor="村务监督委员会主任", progress=progress,
                          spending=round((cost or 10000) * spent))  # fmt: skip
            if reached == "supervising" and n == 0:
                return m
        m = self.step(services.complete_matter, m, days, 20, completed_on=self.ago(20), note="经村务监督委员会验收。")
        for i, household in enumerate(self.households[:12]):
            answer = SurveyAnswer.Answer.SATISFIED if i % 5 else SurveyAnswer.Answer.BASIC
            if i == 7:
                answer = SurveyAnswer.Answer.UNSATISFIED
            m = self.step(services.record_survey, m, days, 10, household=household, answer=answer,
                          surveyed_on=self.ago(10), comment="施工期间灰尘大" if i == 7 else "")  # fmt: skip
        if reached == "evaluating":
            return m
        return self.step(services.close_matter, m, days, 5, outcome=f"{m.title}已完成，回访群众满意。",
                         closed_on=self.ago(5))  # fmt: skip

    def step(self, service, m, days, ago, **kwargs):
        m = service(user=self.user, matter=m, expected_version=m.version, **kwargs)
        days.append(self.ago(ago))
        return m

    def vote(self, m, days, ago, body, entitled, present, votes_for):
        against = max(0, (present - votes_for) * 2 // 3)
        return self.step(services.hold_vote, m, days, ago, body=body, held_on=self.ago(ago), meeting=None,
                         method=Vote.Method.COUNTS, entitled=entitled, present=present, votes_for=votes_for,
                         votes_against=against, abstentions=present - votes_for - against)  # fmt: skip

    def representatives_vote(self, m, days, ago):
        """A 村民代表会议 with one ballot per representative (逐人录入), when the village has them."""
        voters = list(services.entitled_representatives(self.village, self.ago(ago)))
        if len(voters) < 3:
            return None
        present = voters[: len(voters) * 5 // 6 or 1]
        choices = [Ballot.Choice.FOR] * 8 + [Ballot.Choice.AGAINST, Ballot.Choice.ABSTAIN]
        ballots = {p: choices[i % len(choices)] for i, p in enumerate(present)}
        meeting = self.meeting(ago, Meeting.Kind.CONGRESS, f"村民代表大会：表决{m.title}", len(present))
        return self.step(services.hold_vote, m, days, ago, body=Vote.Body.REPRESENTATIVES, held_on=self.ago(ago),
                         meeting=meeting, method=Vote.Method.BALLOTS, ballots=ballots)  # fmt: skip

    def dated(self, m, days):
        """The timeline's times set to the steps' days (the services wrote them at now)."""
        events = list(MatterEvent.objects.filter(matter=m).order_by("pk"))
        for i, (event, day) in enumerate(zip(events, days, strict=False)):
            at = datetime.datetime.combine(day, datetime.time(9), tzinfo=self.tz)
            event.created_at = at + datetime.timedelta(minutes=10 * i)
        MatterEvent.objects.bulk_update(events, ["created_at"])
        return m


def plan_text(matter, adopted):
    lines = [matter.description]
    if matter.estimated_cost is not None:
        lines.append("资金由村集体经济收入和上级奖补资金列支。")
    lines.append("由村民委员会组织实施，村务监督委员会全程监督，账目按月公开。")
    return "\n".join(lines)
