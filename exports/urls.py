"""我的导出, mounted at /exports/ (namespace "exports")."""

from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.my_exports, name="my_exports"),
    path("<int:pk>/download/", views.download, name="download"),
]
