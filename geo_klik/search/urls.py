"""The search page and API."""

from django.urls import path

from geo_klik.search import api, views

urlpatterns = [
    path("cari/", views.search_page, name="search"),
    path("api/search/", api.SearchView.as_view(), name="search-api"),
]
