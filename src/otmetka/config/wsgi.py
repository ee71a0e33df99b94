"""WSGI entry point for gunicorn (`otmetka serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
application = get_wsgi_application()
