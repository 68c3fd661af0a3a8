from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import DagViewSet, ImportView, LayoutView, RunViewSet, ValidateView

# Path converters rather than regexes, so ids are typed as integers in the OpenAPI schema.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # `.json` suffixes: one URL per resource is enough
router.register("dags", DagViewSet, basename="dag")
router.register("runs", RunViewSet, basename="run")

urlpatterns = [
    path("validate/", ValidateView.as_view(), name="api-validate"),
    path("import/", ImportView.as_view(), name="api-import"),
    path("layout/", LayoutView.as_view(), name="api-layout"),
    *router.urls,
]
