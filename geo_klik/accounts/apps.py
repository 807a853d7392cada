from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "geo_klik.accounts"
    verbose_name = "Akun petugas / Staff accounts"
