"""Count the visits per village and day (走访日汇总) and each household's latest visit again, or check them."""

from django.core.management.base import BaseCommand, CommandError

from households.tallies import differences, rebuild


class Command(BaseCommand):
    help = "按村按日重新统计走访日汇总（批量导入或恢复数据之后运行）；--check 只核对，不一致时返回错误。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对汇总与走访记录是否一致")

    def handle(self, *args, check=False, **options):
        if check:
            wrong = differences()
            for first, second, kept, counted in wrong[:20]:
                place = f"户 {second} 最近走访日期" if first == "户" else f"村 {first} {second}"
                self.stdout.write(f"{place}：汇总 {kept}，走访记录 {counted}")
            if wrong:
                raise CommandError(f"走访日汇总有 {len(wrong)} 处与走访记录不一致，请运行 rebuild_visit_days。")
            self.stdout.write("走访日汇总与走访记录一致。")
            return
        rows = rebuild()
        self.stdout.write(f"已重新统计走访日汇总：{rows} 条（村×日）。")
