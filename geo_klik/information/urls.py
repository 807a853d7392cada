"""URLs of the information app: pages under /info/, the API under /api/info/."""

from django.urls import URLPattern, URLResolver, path

from geo_klik.information import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("info/", views.home, name="information-home"),
    path("info/tempat/<slug:slug>/", views.place_page, name="information-place"),
    path("info/pengumuman/<int:pk>/", views.announcement_page, name="information-announcement"),
    path("api/info/places/", api.PlaceLayerView.as_view(), name="information-api-places"),
    path(
        "api/info/places/<slug:slug>/",
        api.PlaceDetailView.as_view(),
        name="information-api-place",
    ),
    path(
        "api/info/announcements/",
        api.AnnouncementListView.as_view(),
        name="information-api-announcements",
    ),
    path(
        "api/info/announcements/map/",
        api.AnnouncementLayerView.as_view(),
        name="information-api-announcements-map",
    ),
]
