from django.urls import path

from linli.orders import views

app_name = "orders"
urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/set/", views.cart_set, name="cart_set"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="list"),
    path("orders/<int:order_id>/", views.order_detail, name="detail"),
    path("orders/<int:order_id>/<slug:action>/", views.order_action, name="action"),
    path("merchant/orders/", views.board, name="board"),
    path("merchant/orders/<int:order_id>/<slug:action>/", views.board_action, name="board_action"),
]
