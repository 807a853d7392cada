from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "geo_klik.community"
    verbose_name = "Forum dan komunitas / Forum and community"
