from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "linli.shops"
    label = "shops"
    verbose_name = "商户 Shops"
