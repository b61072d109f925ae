from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "linli.procurement"
    label = "procurement"
    verbose_name = "采购 Procurement"
