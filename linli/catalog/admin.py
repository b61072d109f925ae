from django.contrib import admin

from linli.catalog.models import Category, Listing, Product, ProductPhoto


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "parent", "sort"]


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "spec", "merchant", "category", "storage", "green_label", "active"]
    list_filter = ["storage", "green_label", "active"]
    search_fields = ["name", "aliases", "search_text", "barcode"]
    list_select_related = ["merchant", "category"]
    inlines = [PhotoInline]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["product", "outlet", "price_fen", "active"]
    list_select_related = ["product", "outlet"]
    raw_id_fields = ["product", "outlet"]
