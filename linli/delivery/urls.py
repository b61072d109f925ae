from django.urls import path

from linli.delivery import views

app_name = "delivery"
urlpatterns = [
    path("delivery/courier/", views.courier, name="courier"),
    path("delivery/courier/<slug:action>/", views.courier_action, name="courier_action"),
    path(
        "delivery/courier/<slug:action>/<int:pk>/", views.courier_action, name="courier_action_pk"
    ),
    path("delivery/planning/", views.planning, name="planning"),
    path("delivery/planning/start/", views.planning_start, name="planning_start"),
    path("delivery/planning/runs/<int:pk>/", views.planning_run, name="planning_run"),
    path("delivery/savings/", views.savings, name="savings"),
    path("delivery/hand-over/", views.hand_over, name="hand_over"),
]
