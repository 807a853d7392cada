"""ASGI entry point, served by uvicorn in `make run` and in docker-compose."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_klik.settings")

application = get_asgi_application()
