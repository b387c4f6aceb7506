"""WSGI entry point (``rapporteur serve`` runs it with waitress; any WSGI server will do)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.settings")
application = get_wsgi_application()
