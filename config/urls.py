from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from config.api import api
from linli.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("accounts/", include("linli.accounts.urls")),
    path("", include("linli.community.urls")),
    path("", include("linli.shops.urls")),
    path("", include("linli.catalog.urls")),
    path("", include("linli.inventory.urls")),
    path("", include("linli.procurement.reorder_urls")),
    path("", include("linli.reports.urls")),
    path("gov/", include("linli.planning.urls")),
    path("payments/", include("linli.payments.urls")),
    path("", include("linli.orders.urls")),
    path("", include("linli.procurement.urls")),
    path("", include("linli.lockers.urls")),
    path("", include("linli.delivery.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "linli.core.views.not_found"
handler500 = "linli.core.views.server_error"
