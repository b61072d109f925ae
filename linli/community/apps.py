from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "linli.community"
    label = "community"
    verbose_name = "社区 Community"
