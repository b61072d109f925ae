from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "linli.planning"
    label = "planning"
    verbose_name = "规划 Planning"
