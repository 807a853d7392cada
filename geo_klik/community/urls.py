"""URLs of the community app: forum pages under /komunitas/, the API under /api/community/."""

from django.urls import URLPattern, URLResolver, path

from geo_klik.community import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    # pages
    path("komunitas/", views.board, name="community-board"),
    path("komunitas/daftar/", views.sign_up, name="community-signup"),
    path("komunitas/kelurahan/<str:code>/", views.kelurahan_board, name="community-kelurahan"),
    path("komunitas/pos/baru/", views.create_post, name="community-post-create"),
    path("komunitas/pos/<int:post_id>/", views.post_detail, name="community-post"),
    path("komunitas/pos/<int:post_id>/ubah/", views.edit_post, name="community-post-edit"),
    path("komunitas/pos/<int:post_id>/hapus/", views.delete_post, name="community-post-delete"),
    path("komunitas/pos/<int:post_id>/komentar/", views.add_comment, name="community-comment"),
    path(
        "komunitas/<str:target_type>/<int:target_id>/laporkan/",
        views.flag,
        name="community-flag",
    ),
    path("komunitas/moderasi/", views.moderation, name="community-moderation"),
    path(
        "komunitas/moderasi/<str:target_type>/<int:target_id>/<str:verb>/",
        views.moderate,
        name="community-moderate",
    ),
    path("komunitas/moderasi/blokir/", views.ban, name="community-ban"),
    path("komunitas/moderasi/blokir/<int:ban_id>/cabut/", views.lift_ban, name="community-unban"),
    # API
    path("api/community/posts/", api.PostCollectionView.as_view(), name="community-api-posts"),
    path(
        "api/community/posts/<int:post_id>/",
        api.PostDetailView.as_view(),
        name="community-api-post",
    ),
    path(
        "api/community/posts/<int:post_id>/comments/",
        api.CommentCreateView.as_view(),
        name="community-api-comments",
    ),
    path(
        "api/community/posts/<int:target_id>/flag/",
        api.PostFlagView.as_view(),
        name="community-api-post-flag",
    ),
    path(
        "api/community/comments/<int:target_id>/flag/",
        api.CommentFlagView.as_view(),
        name="community-api-comment-flag",
    ),
    path(
        "api/community/moderation/",
        api.ModerationQueueView.as_view(),
        name="community-api-moderation",
    ),
    path(
        "api/community/moderation/posts/<int:target_id>/<str:verb>/",
        api.ModeratePostView.as_view(),
        name="community-api-moderate-post",
    ),
    path(
        "api/community/moderation/comments/<int:target_id>/<str:verb>/",
        api.ModerateCommentView.as_view(),
        name="community-api-moderate-comment",
    ),
    path("api/community/bans/", api.BanCollectionView.as_view(), name="community-api-bans"),
    path(
        "api/community/bans/<int:ban_id>/lift/",
        api.BanLiftView.as_view(),
        name="community-api-ban-lift",
    ),
    # map layers (geo_klik.lib.layers)
    path(
        "api/community/layers/posts.geojson",
        api.PostsLayerView.as_view(),
        name="community-layer-posts",
    ),
    path(
        "api/community/layers/events.geojson",
        api.EventsLayerView.as_view(),
        name="community-layer-events",
    ),
]
