"""URLs of the business app: pages under /usaha/, the API under /api/businesses/."""

from django.urls import URLPattern, URLResolver, path

from geo_klik.business import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("usaha/", views.directory, name="business-directory"),
    path("usaha/baru/", views.propose, name="business-propose"),
    path("usaha/saya/", views.mine, name="business-mine"),
    path("usaha/promosi/", views.promotions, name="business-promotions"),
    path("usaha/moderasi/", views.moderation, name="business-moderation"),
    path(
        "usaha/moderasi/<str:kind>/<int:pk>/<str:verb>/",
        views.moderate,
        name="business-moderate",
    ),
    path("usaha/<slug:slug>/", views.detail, name="business-detail"),
    path("usaha/<slug:slug>/klaim/", views.claim, name="business-claim"),
    path("usaha/<slug:slug>/ubah/", views.revise, name="business-revise"),
    path("usaha/<slug:slug>/promosi/baru/", views.new_promotion, name="business-promotion-new"),
    path("api/businesses/", api.BusinessListView.as_view(), name="business-api-list"),
    path(
        "api/businesses/promotions/",
        api.PromotionListView.as_view(),
        name="business-api-promotions",
    ),
    path(
        "api/businesses/claims/<int:claim_id>/<str:verb>/",
        api.ClaimModerationView.as_view(),
        name="business-api-claim-moderate",
    ),
    path(
        "api/businesses/revisions/<int:revision_id>/<str:verb>/",
        api.RevisionModerationView.as_view(),
        name="business-api-revision-moderate",
    ),
    path(
        "api/businesses/promotions/<int:promotion_id>/<str:verb>/",
        api.PromotionModerationView.as_view(),
        name="business-api-promotion-moderate",
    ),
    path(
        "api/businesses/<slug:slug>/", api.BusinessDetailView.as_view(), name="business-api-detail"
    ),
    path("api/businesses/<slug:slug>/claim/", api.ClaimView.as_view(), name="business-api-claim"),
    path(
        "api/businesses/<slug:slug>/revisions/",
        api.RevisionCreateView.as_view(),
        name="business-api-revisions",
    ),
    path(
        "api/businesses/<slug:slug>/promotions/",
        api.PromotionCreateView.as_view(),
        name="business-api-promotion-create",
    ),
    path(
        "api/businesses/<slug:slug>/<str:verb>/",
        api.ListingModerationView.as_view(),
        name="business-api-moderate",
    ),
]
