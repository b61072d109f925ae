from django.urls import path

from linli.procurement.views import shop, trace

app_name = "procurement"
urlpatterns = [
    path("merchant/procurement/suppliers/", shop.suppliers, name="suppliers"),
    path("merchant/procurement/suppliers/<int:supplier_id>/", shop.supplier, name="supplier"),
    path("merchant/procurement/orders/", shop.po_list, name="po_list"),
    path("merchant/procurement/orders/<int:po_id>/", shop.po_detail, name="po"),
    path("merchant/procurement/rounds/", shop.rounds, name="rounds"),
    path("merchant/procurement/rounds/<int:round_id>/", shop.round_detail, name="round"),
    path("merchant/procurement/recall/", trace.recall, name="recall"),
    path("merchant/procurement/lots/<int:lot_id>/", trace.lot_trace, name="lot"),
    path("merchant/chain/", trace.chain, name="chain"),
    path("supplier/", trace.portal, name="portal"),
    path("origin/<int:listing_id>/", trace.listing_origin, name="origin"),
]
