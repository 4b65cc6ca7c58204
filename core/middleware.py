"""Response headers for pages that may hold personal data."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every response to a signed-in user is ``Cache-Control: no-store`` (no copy on disk or in a proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True)
        return response
