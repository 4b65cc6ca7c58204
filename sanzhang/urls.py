from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


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
