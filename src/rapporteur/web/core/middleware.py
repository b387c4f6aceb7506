from django.conf import settings

from .errors import too_large


class BoundedRequestSizeMiddleware:
    """Refuse uploads larger than the configured bound before Django reads their body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = self._limit_for(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def _limit_for(request) -> int:
        if request.path.rstrip("/").endswith("/import"):
            return settings.RAPPORTEUR_MAX_IMPORT_BYTES + 1024 * 1024
        return settings.RAPPORTEUR_MAX_REQUEST_BYTES
