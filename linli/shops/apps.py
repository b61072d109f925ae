from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "linli.shops"
    label = "shops"
    verbose_name = "商户 Shops"

    def ready(self) -> None:
        # Community (a lower layer) reaches outlets only through this provider.
        from linli.community.hooks import register_outlet_provider
        from linli.shops.osm_outlets import ShopsOutletProvider

        register_outlet_provider(ShopsOutletProvider())
