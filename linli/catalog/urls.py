from django.urls import path

from linli.catalog import views, views_bulk

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
    path("merchant/products/import/", views_bulk.products_import_index, name="import_index"),
    path(
        "merchant/products/import/<int:outlet_id>/",
        views_bulk.products_import,
        name="products_import",
    ),
    path(
        "merchant/products/template.<str:fmt>",
        views_bulk.products_template,
        name="products_template",
    ),
    path(
        "merchant/products/export/<int:outlet_id>.<str:fmt>",
        views_bulk.products_export,
        name="products_export",
    ),
]
