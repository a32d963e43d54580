from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "debrief.accounts"
    label = "accounts"

    def ready(self) -> None:
        from debrief.accounts import receivers

        receivers.connect()
