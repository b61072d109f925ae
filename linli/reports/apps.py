from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "linli.reports"
    label = "reports"
    verbose_name = "报表 Reports"
