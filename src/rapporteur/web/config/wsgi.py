"""WSGI entry point (``rapporteur serve`` runs it with gunicorn or waitress; any WSGI server will do).

The site is Django's application behind the voting lane (``web.lane``), which answers a delegate's
next-statement and vote requests itself and hands every other request to Django.
"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.settings")

django_application = get_wsgi_application()  # sets Django up

from rapporteur.web.lane import VotingLane  # noqa: E402  (imports the site's models)

application = VotingLane(django_application)
