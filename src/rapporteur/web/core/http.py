"""Small helpers shared by the views: permission checks that answer like Django does."""
from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class LoginRequired(Exception):
    pass


def require(request, perm: str, obj=None) -> None:
    """Raise unless the user has ``perm`` (on ``obj``); anonymous users are sent to log in."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


class LoginRedirectMiddleware:
    """Turn ``LoginRequired`` raised by a view into a redirect to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None
