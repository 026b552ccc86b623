from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("api-token-auth/", views.ObtainTokenView.as_view(), name="obtain-token"),
    path("api-token-auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("api/example/", views.ExampleView.as_view(), name="example"),
]
