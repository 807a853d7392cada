"""URLs of the public_services app: the resident pages under /layanan/ and the API."""

from django.urls import URLPattern, URLResolver, path

from geo_klik.public_services import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("layanan/", views.catalogue_page, name="services-catalogue"),
    path("layanan/kantor-saya/", views.which_office_page, name="services-which-office"),
    path("layanan/kantor/<slug:slug>/", views.office_page, name="services-office"),
    path("layanan/<slug:slug>/", views.service_page, name="services-detail"),
    path("api/services/", api.CatalogueView.as_view(), name="services-api-catalogue"),
    path("api/services/offices/", api.OfficesGeoJSONView.as_view(), name="services-api-offices"),
    path(
        "api/services/which-office/",
        api.WhichOfficeView.as_view(),
        name="services-api-which-office",
    ),
    path("api/services/<slug:slug>/", api.ServiceDetailView.as_view(), name="services-api-detail"),
]
