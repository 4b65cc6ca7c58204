"""Count the visits per village and day (走访日汇总), each household's latest visit and its residents
again, or check them."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from core.expressions import count_of
from households.models import Household, Resident
from households.models.households import refresh_resident_counts
from households.tallies import differences, rebuild


def resident_differences():
    """(household id, kept count, residents) where a household's kept count is stale."""
    counted = Household._base_manager.annotate(n=count_of(Resident, "household")).exclude(resident_count=F("n"))
    return list(counted.values_list("pk", "resident_count", "n"))


class Command(BaseCommand):
    help = (
        "按村按日重新统计走访日汇总、各户最近走访日期和人数（批量导入或恢复数据之后运行）；"
        "--check 只核对，不一致时返回错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对汇总与走访、居民记录是否一致")

    def handle(self, *args, check=False, **options):
        if check:
            wrong = differences()
            for first, second, kept, counted in wrong[:20]:
                place = f"户 {second} 最近走访日期" if first == "户" else f"村 {first} {second}"
                self.stdout.write(f"{place}：汇总 {kept}，走访记录 {counted}")
            people = resident_differences()
            for pk, kept, counted in people[:20]:
                self.stdout.write(f"户 {pk} 人数：记录 {kept}，居民 {counted}")
            if wrong or people:
                raise CommandError(
                    f"走访日汇总有 {len(wrong)} 处、户人数有 {len(people)} 处与记录不一致，请运行 rebuild_visit_days。"
                )
            self.stdout.write("走访日汇总、户人数与记录一致。")
            return
        rows = rebuild()
        refresh_resident_counts()
        self.stdout.write(f"已重新统计走访日汇总：{rows} 条（村×日）；各户人数已重新统计。")
