"""The matter workflow's transitions, one legal case each (see tests/workflow_cases.py)."""

import datetime
from collections.abc import Mapping

from deliberation.models import Matter
from households.models import Household
from tests.factories.deliberation import make_matter, make_survey
from tests.workflow_cases import Case

S = Matter.Status
TODAY = datetime.date.today


def matter(status, **kwargs):
    def build(cast):
        return make_matter(cast.branches[0], status, **kwargs)

    return build


def surveyed(cast):
    branch = cast.branches[0]
    m = make_matter(branch, S.EVALUATING)
    make_survey(m, branch.households[0])
    return m


class SurveyOfLatestMatter(Mapping):
    """A survey answer from a household of the newest matter's village (its pk exists only after build)."""

    def _data(self):
        village = Matter.objects.order_by("-pk").first().village_id
        household = Household.objects.filter(village_id=village).order_by("pk").first()
        return {"household": str(household.pk), "answer": "satisfied", "surveyed_on": day()}

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(["household", "answer", "surveyed_on"])

    def __len__(self):
        return 3


def day(n=0):
    return (TODAY() - datetime.timedelta(days=n)).isoformat()


VOTE = {"body": "assembly", "held_on": day(), "quorum_rule": "half", "majority_rule": "half", "method": "counts",
        "entitled": "60", "present": "41", "votes_for": "30", "votes_against": "6", "abstentions": "5"}  # fmt: skip

MATTER_CASES = {
    "consult": Case(
        matter(S.PROPOSED),
        {"held_on": day(), "body": "committees", "participants": "两委成员5人", "suggestions": "张三：路面加宽"},
    ),
    "publish": Case(
        matter(S.CONSULTING),
        {"text": "实施方案", "posted_at": "村务公开栏", "start_on": day(6), "end_on": day(), "min_days": "5"},
    ),
    "object": Case(matter(S.NOTICE), {"received_on": day(), "raised_by": "李四", "text": "线路经过我家田"}),
    "vote": Case(matter(S.NOTICE), VOTE),
    "supervise": Case(
        matter(S.DECIDED), {"entry_on": day(), "supervisor": "王监委", "progress": "路基完成", "spending": "20000"}
    ),
    "complete": Case(matter(S.SUPERVISING), {"completed_on": day(), "note": "通车"}),
    "survey": Case(matter(S.EVALUATING), SurveyOfLatestMatter()),
    "close": Case(surveyed, {"outcome": "道路已硬化通车", "closed_on": day()}),
    "reject": Case(matter(S.PROPOSED), {"reason": "资金来源未落实"}),
}
