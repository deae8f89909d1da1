"""WSGI entry point: `gunicorn csphub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
application = get_wsgi_application()
