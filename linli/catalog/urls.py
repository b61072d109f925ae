from django.urls import path

from linli.catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalog/shop/<int:outlet_id>/", views.shop, name="shop"),
    path("catalog/search/", views.search, name="search"),
    path("merchant/products/", views.merchant_products, name="merchant_products"),
    path("merchant/products/new/", views.merchant_product_edit, name="merchant_product_new"),
    path(
        "merchant/products/<int:product_id>/",
        views.merchant_product_edit,
        name="merchant_product_edit",
    ),
]
