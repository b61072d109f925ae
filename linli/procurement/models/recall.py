"""A recall of a batch: which lots it stopped, how much it wrote off, whom it told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recall(models.Model):
    batch_no = models.CharField(_("batch"), max_length=40)
    product_name = models.CharField(max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier = models.ForeignKey(
        "procurement.Supplier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merchant = models.ForeignKey(
        "shops.Merchant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lots = models.ManyToManyField("inventory.Lot", related_name="recalls")
    units_written_off = models.IntegerField(default=0)
    units_held = models.IntegerField(default=0)
    units_sold = models.IntegerField(default=0)
    residents_notified = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")

    def __str__(self) -> str:
        return f"{self.batch_no}: {self.reason}"
