"""geo_klik: the geospatial core of Bukittinggi Smart (KLIK incident reporting and dispatch)."""

from geo_klik.celery import app as celery_app

__all__ = ["celery_app"]
