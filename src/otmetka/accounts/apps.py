from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "otmetka.accounts"
    label = "accounts"
