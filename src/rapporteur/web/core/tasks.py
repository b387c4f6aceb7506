"""Django's tasks framework: built into Django 6, the ``django-tasks`` backport before that."""
try:  # Django >= 6.0
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # Django 5.2
    from django_tasks import task

__all__ = ["task"]
