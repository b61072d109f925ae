from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo community: composes every app's demo data, so it sits above all of them."""

    name = "linli.demo"
    label = "demo"
    verbose_name = "演示 Demo"
