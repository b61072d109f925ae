"""Read-only admin: stock changes go through services so the ledger stays whole."""

from django.contrib import admin

from linli.inventory.models import Lot, StockClaim, StockLevel, StockMovement


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnly):
    list_display = ["product", "outlet", "on_hand", "claimed"]
    list_select_related = ["product", "outlet"]


@admin.register(Lot)
class LotAdmin(ReadOnly):
    list_display = ["batch_no", "stock_level", "expiry_date", "quantity_remaining", "origin"]
    list_select_related = ["stock_level__product", "stock_level__outlet"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnly):
    list_display = ["created_at", "stock_level", "reason", "quantity", "lot", "ref", "actor"]
    list_filter = ["reason"]
    list_select_related = ["stock_level__product", "stock_level__outlet", "lot", "actor"]


@admin.register(StockClaim)
class StockClaimAdmin(ReadOnly):
    list_display = ["ref", "stock_level", "quantity", "status", "expires_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["ref"]
