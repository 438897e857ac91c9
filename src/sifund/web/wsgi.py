"""WSGI entry point for a production server: ``waitress-serve sifund.web.wsgi:application`` or
``gunicorn sifund.web.wsgi`` (set SIFUND_DATA / SIFUND_DATABASE_URL first)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sifund.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
