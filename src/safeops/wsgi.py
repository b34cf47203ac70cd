"""WSGI entry point (HTTP only; the server runs the ASGI application, see safeops.asgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.base")

application = get_wsgi_application()
