from django.contrib import admin

from linli.payments.models import Payment, PaymentNotification, Refund


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Refund._meta.fields]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["out_trade_no", "reference", "gateway", "amount_fen", "refunded_fen", "status"]
    list_filter = ["status", "gateway"]
    search_fields = ["out_trade_no", "transaction_id", "reference"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [RefundInline]

    def has_add_permission(self, request) -> bool:  # money moves through services only
        return False


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    list_display = ["received_at", "gateway", "out_trade_no", "verified", "outcome"]
    list_filter = ["gateway", "verified", "outcome"]
    search_fields = ["out_trade_no"]
    readonly_fields = [f.name for f in PaymentNotification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
