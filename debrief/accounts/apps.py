from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "debrief.accounts"
    label = "accounts"
