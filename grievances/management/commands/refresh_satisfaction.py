"""Read each grievance's latest revisit's answer again (Grievance.satisfaction), or check it."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from grievances.models import Grievance, latest_revisit, refresh_satisfaction


class Command(BaseCommand):
    help = "重新读取各诉求最近一次回访的满意度（批量导入或恢复回访记录之后运行）；--check 只核对，不一致时返回错误。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对诉求的满意度与回访记录是否一致")

    def handle(self, *args, check=False, **options):
        if not check:
            refresh_satisfaction()
            self.stdout.write("已重新读取各诉求最近一次回访的满意度。")
            return
        latest = Grievance._base_manager.annotate(latest=Coalesce(latest_revisit(), Value("")))
        wrong = list(latest.exclude(satisfaction=F("latest")).values_list("pk", "satisfaction", "latest"))
        for pk, kept, actual in wrong[:20]:
            self.stdout.write(f"诉求 {pk}：记录 {kept or '（无）'}，最近一次回访 {actual or '（无）'}")
        if wrong:
            raise CommandError(f"有 {len(wrong)} 件诉求的满意度与回访记录不一致，请运行 refresh_satisfaction。")
        self.stdout.write("诉求的满意度与回访记录一致。")
