from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "debrief.exchange"
    label = "exchange"
    verbose_name = "Export and erasure"
