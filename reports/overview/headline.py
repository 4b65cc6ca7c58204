"""The seeds' headline figures (the numbers county reports quote), each computed from the records
with its definition written beside it, so an office reports them from the records, not by hand.

A figure the records cannot support (e.g. seed 002's 1,921 grievances "通过群众说事" counts the
forum, which the records know only as the channel 说事日/恳谈会) is given with that narrower
definition, never stretched.
"""

from dataclasses import dataclass

from governance.selectors import roster_report
from reports.overview.kit import fmt


@dataclass
class Headline:
    label: str
    value: int
    unit: str
    definition: str
    seed: str  # where the figure is quoted, with the seed's number
    url: str = ""

    @property
    def text(self):
        return fmt(self.value)


def roster_total(ctx):
    """The unit's roster at the period's end (one query; counted beside the panels)."""
    return roster_report(ctx.user, unit=ctx.unit, start=ctx.start, end=ctx.end, level=ctx.unit.level).total


def headline_figures(ctx, panels, roster):
    """From the panels' totals plus the roster total (``roster_total``)."""
    p = {panel.key: panel.extra for panel in panels}
    figures = []

    def add(key, label, field, unit, definition, seed, url_field=None):
        if key == "roster":
            source = roster.counts
        elif key in p:
            source = p[key]
        else:  # the panel is not shown to this user: neither is its figure
            return
        figures.append(
            Headline(label, source[field], unit, definition, seed, source.get(url_field, "") if url_field else "")
        )

    add(
        "grievances",
        "收集问题诉求",
        "collected",
        "件",
        "统计期间内受理登记的群众诉求",
        "江永县：收集问题诉求25,145件",
        "collected_url",
    )
    add(
        "grievances",
        "解决答复",
        "answered",
        "件",
        "期间受理的诉求中已办结的，加上以解释答复处理、尚未办结的",
        "江永县：解决答复13,789件",
    )
    add(
        "grievances",
        "梳理解决群众诉求",
        "resolved",
        "件",
        "期间受理的诉求中已办结（含已回访、已归档）的",
        "蓝山县：共梳理解决群众诉求4,612件",
        "resolved_url",
    )
    add(
        "grievances",
        "微服务",
        "on_spot",
        "件",
        "期间受理、由三长当场解决的诉求（走访中顺手办结的小事）",
        "蓝山县：为群众提供各类微服务4,857件",
        "on_spot_url",
    )
    add(
        "grievances",
        "群众说事解决诉求",
        "talk_resolved",
        "件",
        "来源为说事日或恳谈会、已办结的诉求",
        "蓝山县：通过“群众说事”共解决群众诉求1,921件",
    )
    add(
        "contact",
        "服务群众",
        "visits",
        "人次",
        "统计期间内的走访联系记录（入户、电话、微信、说事日、恳谈会），一户一次计一人次",
        "江永县：已服务群众22,586人次",
        "visits_url",
    )
    add(
        "disputes",
        "化解矛盾纠纷",
        "succeeded",
        "件",
        "期间登记、签订书面或口头调解协议的纠纷",
        "蓝山县：化解矛盾纠纷945件",
    )
    add(
        "disputes",
        "排查隐患",
        "risks",
        "条",
        "统计期间内排查发现登记的隐患",
        "江永县：上报各类影响社会稳定因素问题175件",
        "risks_url",
    )
    add(
        "coverage",
        "户数",
        "households",
        "户",
        "现有户籍登记的户",
        "蓝山县：10.27万户村(居)民联户全覆盖",
        "households_url",
    )
    add(
        "coverage",
        "已联户",
        "linked",
        "户",
        "已编入邻且该邻有在任邻长的户（户户有人联）",
        "蓝山县：实现联户全覆盖",
        "linked_url",
    )
    add(
        "roster",
        "邻长",
        "neighborhood_leader",
        "人",
        "期末在任的邻长任职（一人多职分别计）",
        "蓝山县：推选出邻长8,328名",
    )
    add(
        "roster",
        "其中党员三长",
        "party_leaders",
        "人",
        "期末在任片长、组长、邻长中的党员",
        "蓝山县：党员邻长3,333名（本项含片长、组长）",
    )
    add("roster", "三长合计", "leaders", "人", "期末在任的片长、组长、邻长任职", "蓝山县：1.2万余名“三长”")
    add("roster", "村(居)民代表", "representative", "人", "期末在任的村(居)民代表", "江永县：村(居)民代表4,621名")
    add(
        "training",
        "培训三长",
        "person_times",
        "人次",
        "统计期间内举办的培训的签到人次",
        "蓝山县：培训邻长1.7万人次；江永县：培训代表5,000多人次",
    )
    add("training", "表彰最美三长", "awards", "人", "统计期间内乡镇批准的最美三长", "蓝山县：累计表彰“三长”375人次")
    add(
        "training",
        "动态调整",
        "adjustments",
        "人次",
        "统计期间内办结的劝辞、罢免、联审调整",
        "蓝山县：动态调整“三长”138人次",
    )
    return figures
