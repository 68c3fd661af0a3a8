from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.dag_list, name="dag-list"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dags/new/", views.dag_create, name="dag-create"),
    path("dags/<int:pk>/", views.dag_editor, name="dag-editor"),
    path("dags/<int:pk>/rename/", views.dag_rename, name="dag-rename"),
    path("dags/<int:pk>/duplicate/", views.dag_duplicate, name="dag-duplicate"),
    path("dags/<int:pk>/delete/", views.dag_delete, name="dag-delete"),
    path("account/token/", views.api_token, name="api-token"),
    path("health/", views.health, name="health"),
]
