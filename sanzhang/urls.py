from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "三长通 · 片组邻三长制管理"
admin.site.site_title = "三长通"
admin.site.index_title = "工作台"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico before reading the page's icon link: send them the icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("favicon.ico", FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("m/", include("mobile.urls")),
    path("reports/", include("reports.urls")),
    path("exports/", include("exports.urls")),
]
