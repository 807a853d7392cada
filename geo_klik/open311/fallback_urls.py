"""URLs under /open311/ outside /open311/v2/: a resource joined to "v2" without its slash, and
an Open311 404 for everything else."""

from django.urls import URLPattern, re_path

from geo_klik.open311 import api

urlpatterns: list[URLPattern] = [
    re_path(r"^v2(?P<resource>[^/].*)$", api.joined_without_slash, name="open311-unjoined"),
    re_path(r"^v2$", api.root, name="open311-bare"),
    re_path(r"^.*$", api.not_found, name="open311-not-found"),
]
