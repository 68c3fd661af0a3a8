"""The REST API under /api/ (docs/interfaces.md). Views stay thin: authorize through the
queryset, check shapes with a serializer, call one operation in dags.py or runs.py, answer.

Exports, imports and layout import their engine modules when called: they pull in graphviz
and the Airflow-file parser, which most requests never need."""

from __future__ import annotations

import re

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

import engine

from . import convert, dags, runs
from .errors import VersionRequired
from .models import RunMode
from .permissions import dags_of, runs_of
from .serializers import (
    DagSerializer,
    DagSummarySerializer,
    DetailSerializer,
    DuplicateSerializer,
    ErrorsSerializer,
    ExportQuerySerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    LayoutRequestSerializer,
    LayoutResultSerializer,
    RunEventSerializer,
    RunSerializer,
    RunStartSerializer,
    RunSummarySerializer,
    TaskInstanceSerializer,
    ValidateRequestSerializer,
    ValidateResultSerializer,
    VersionConflictSerializer,
)

REFUSED = OpenApiResponse(ErrorsSerializer, description="Refused input; nothing was changed.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="No such object of yours.")
STALE = OpenApiResponse(VersionConflictSerializer, description="Stale version; nothing changed.")
VERSION_MISSING = OpenApiResponse(DetailSerializer, description="No version or If-Match given.")

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment.")
# What engine.exports answers per format (json is described separately: it is an object).
EXPORT_MEDIA_TYPES = [
    "text/x-python",
    "application/yaml",
    "text/vnd.graphviz",
    "image/svg+xml",
    "image/png",
]

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def _etag(version: int) -> str:
    return f'"{version}"'


class DownloadRenderer(BaseRenderer):
    """Lets an export answer whatever file type the client accepts (image/png, text/x-python...);
    the file itself is returned as an HttpResponse and never passes through a renderer."""

    media_type = "*/*"
    format = "download"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


@extend_schema(tags=["dags"])
class DagViewSet(viewsets.ModelViewSet):
    serializer_class = DagSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return dags_of(self.request.user)

    def get_serializer_class(self):
        return DagSummarySerializer if self.action == "list" else DagSerializer

    @extend_schema(responses={201: DagSerializer, 400: REFUSED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dag = dags.create_dag(
            request.user, data["document"], data.get("layout"), data.get("scenarios")
        )
        return self._answer(dag, status.HTTP_201_CREATED)

    @extend_schema(responses={200: DagSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description='The version you edited, e.g. "3" (instead of `version`).',
            )
        ],
        responses={
            200: DagSerializer,
            400: REFUSED,
            404: NOT_FOUND,
            412: STALE,
            428: VERSION_MISSING,
        },
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        dag = self.get_object()
        serializer = self.get_serializer(dag, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expected = self._expected_version(request, data.get("version"))
        changes = {k: data[k] for k in ("document", "layout", "scenarios") if k in data}
        return self._answer(dags.update_dag(dag, expected, **changes))

    @extend_schema(
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
        responses={
            200: DagSerializer,
            400: REFUSED,
            404: NOT_FOUND,
            412: STALE,
            428: VERSION_MISSING,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    @extend_schema(request=DuplicateSerializer, responses={201: DagSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        dag = self.get_object()
        serializer = DuplicateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = dags.duplicate_dag(dag, serializer.validated_data.get("dag_id"))
        return self._answer(copy, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["get"],
        responses={200: RunSummarySerializer(many=True), 404: NOT_FOUND},
        description="The DAG's runs, newest first.",
    )
    @extend_schema(
        methods=["post"],
        request=RunStartSerializer,
        responses={
            201: OpenApiResponse(RunSerializer, description="An instant run, finished."),
            202: OpenApiResponse(RunSerializer, description="A live run, queued."),
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def runs(self, request, pk=None):
        dag = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(runs_of(request.user).filter(dag=dag))
            return self.get_paginated_response(RunSummarySerializer(page, many=True).data)
        serializer = RunStartSerializer(data=request.data, context={"dag": dag})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = runs.start_run(
            dag,
            data["scenario"],
            mode=data["mode"],
            speed=data["speed"],
            scenario_name=data.get("scenario_name", ""),
        )
        code = status.HTTP_201_CREATED if run.mode == RunMode.INSTANT else status.HTTP_202_ACCEPTED
        return Response(RunSerializer(run).data, status=code)

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={
            **{(200, media): FILE for media in EXPORT_MEDIA_TYPES},
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="format=json: the interchange document."
            ),
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def export(self, request, pk=None):
        dag = self.get_object()
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        states = None
        if "run" in query.validated_data:
            run = runs_of(request.user).filter(dag=dag, pk=query.validated_data["run"]).first()
            if run is None:
                raise NotFound("This DAG has no run with that id.")
            states = convert.run_states(run)
        from engine.exports import export

        exported = export(
            dag.document, query.validated_data["format"], states, convert.positions(dag)
        )
        response = HttpResponse(exported.content, content_type=exported.media_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response

    def _answer(self, dag, code=status.HTTP_200_OK) -> Response:
        return Response(DagSerializer(dag).data, status=code, headers={"ETag": _etag(dag.version)})

    @staticmethod
    def _expected_version(request, body_version: int | None) -> int:
        header = request.headers.get("If-Match")
        header_version = None
        if header is not None:
            match = _IF_MATCH.match(header)
            if not match:
                raise ValidationError({"If-Match": 'Send the version as "N", e.g. "3".'})
            header_version = int(match.group(1))
        if body_version is not None and header_version is not None:
            if body_version != header_version:
                raise ValidationError(
                    {"version": "The body's version and the If-Match header disagree."}
                )
        expected = body_version if body_version is not None else header_version
        if expected is None:
            raise VersionRequired()
        return expected


@extend_schema(tags=["runs"])
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RunSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        queryset = runs_of(self.request.user)
        if self.action == "list":
            dag = self.request.query_params.get("dag")
            if dag is not None:
                if not dag.isdigit():
                    raise ValidationError({"dag": "Give the DAG's numeric id."})
                queryset = queryset.filter(dag_id=int(dag))
        return queryset

    def get_serializer_class(self):
        return RunSummarySerializer if self.action == "list" else RunSerializer

    @extend_schema(
        parameters=[OpenApiParameter("dag", int, description="Only runs of this DAG.")],
        responses={200: RunSummarySerializer(many=True), 400: REFUSED},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: RunSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={200: TaskInstanceSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="task-instances", pagination_class=None)
    def task_instances(self, request, pk=None):
        run = self.get_object()
        return Response(TaskInstanceSerializer(run.task_instances.all(), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="Only events with a larger seq.")],
        responses={200: RunEventSerializer(many=True), 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        run = self.get_object()
        after = request.query_params.get("after", "0")
        if not after.isdigit():
            raise ValidationError({"after": "Give the last seq you have, a whole number >= 0."})
        events = run.events.filter(seq__gt=int(after)).order_by("seq")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(RunEventSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: RunSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = runs.cancel_run(self.get_object())
        return Response(RunSerializer(run).data)


@extend_schema(
    tags=["documents"],
    request=ValidateRequestSerializer,
    responses={200: ValidateResultSerializer, 400: REFUSED},
)
class ValidateView(APIView):
    """Check a DAG document (and a scenario for it) without saving anything."""

    def post(self, request):
        serializer = ValidateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = serializer.validated_data["document"]
        problems = list(engine.validate_dag(document))
        scenario = serializer.validated_data.get("scenario")
        if scenario is not None and not any(p.is_error for p in problems):
            problems += engine.validate_scenario(document, scenario)
        errors = [p.to_dict() for p in problems if p.is_error]
        warnings = [p.to_dict() for p in problems if not p.is_error]
        return Response({"valid": not errors, "errors": errors, "warnings": warnings})


@extend_schema(
    tags=["documents"],
    request={"multipart/form-data": ImportRequestSerializer},
    responses={200: ImportResultSerializer, 400: REFUSED},
)
class ImportView(APIView):
    """Read an uploaded Airflow .py, JSON or YAML file into a DAG document (never runs it)."""

    parser_classes = [MultiPartParser]

    def post(self, request):
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        from engine.imports import import_file

        imported = import_file(upload.name, upload.read())
        return Response(
            {
                "document": imported.document,
                "warnings": [p.to_dict() for p in imported.warnings],
            }
        )


@extend_schema(
    tags=["documents"],
    request=LayoutRequestSerializer,
    responses={200: LayoutResultSerializer, 400: REFUSED},
)
class LayoutView(APIView):
    """Positions for a DAG's tasks, laid out left to right by graphviz."""

    def post(self, request):
        serializer = LayoutRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = serializer.validated_data["document"]
        errors = [p for p in engine.validate_dag(document) if p.is_error]
        if errors:
            raise engine.InvalidDocument(errors)
        from engine.layout import layout_positions

        return Response({"positions": layout_positions(document)})


__all__ = ["DagViewSet", "RunViewSet", "ValidateView", "ImportView", "LayoutView"]
