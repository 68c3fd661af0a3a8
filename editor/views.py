"""Server-rendered pages: the DAG list with its small forms, the editor page, the API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.defaults import page_not_found
from rest_framework.authtoken.models import Token

from . import dags
from .examples import EXAMPLES
from .forms import NewDagForm, RenameDagForm
from .permissions import dags_of


def _say_rejected(request: HttpRequest, exc: dags.DocumentRejected) -> None:
    for problem in exc.problems:
        messages.error(request, problem["message"])


@login_required
def dag_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "editor/dag_list.html",
        {"dags": dags_of(request.user).order_by("dag_id"), "new_form": NewDagForm()},
    )


@login_required
@require_POST
def dag_create(request: HttpRequest) -> HttpResponse:
    form = NewDagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a starting point for the new DAG.")
        return redirect("dag-list")
    example = EXAMPLES[form.cleaned_data["example"]]
    name = form.cleaned_data["dag_id"].strip() or dags.free_dag_id(
        request.user, example.document["dag_id"]
    )
    document, scenarios = example.copy_named(name)
    try:
        dag = dags.create_dag(request.user, document, {}, scenarios)
    except dags.DocumentRejected as exc:
        _say_rejected(request, exc)
        return redirect("dag-list")
    return redirect("dag-editor", pk=dag.pk)


@login_required
@require_POST
def dag_rename(request: HttpRequest, pk: int) -> HttpResponse:
    dag = get_object_or_404(dags_of(request.user), pk=pk)
    form = RenameDagForm(request.POST)
    if form.is_valid():
        try:
            dags.rename_dag(dag, form.cleaned_data["dag_id"].strip())
            messages.success(request, f"Renamed to {dag.dag_id}.")
        except dags.DocumentRejected as exc:
            _say_rejected(request, exc)
        except dags.VersionConflict as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Give the DAG a new name.")
    return redirect("dag-list")


@login_required
@require_POST
def dag_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    dag = get_object_or_404(dags_of(request.user), pk=pk)
    try:
        copy = dags.duplicate_dag(dag)
        messages.success(request, f"Copied {dag.dag_id} to {copy.dag_id}.")
    except dags.DocumentRejected as exc:
        _say_rejected(request, exc)
    return redirect("dag-list")


@login_required
@require_POST
def dag_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dag = get_object_or_404(dags_of(request.user), pk=pk)
    name = dag.dag_id
    dag.delete()
    messages.success(request, f"Deleted {name} and its runs.")
    return redirect("dag-list")


@login_required
def dag_editor(request: HttpRequest, pk: int) -> HttpResponse:
    dag = get_object_or_404(dags_of(request.user), pk=pk)
    # What the front end needs to start; json_script escapes it safely into the page.
    bootstrap = {
        "dagId": dag.pk,
        "dagName": dag.dag_id,
        "username": request.user.get_username(),
        "csrfToken": get_token(request),
        "apiBase": "/api/",
        "wsBase": "/ws/",
        "listUrl": reverse("dag-list"),
        "logoutUrl": reverse("logout"),
    }
    return render(request, "editor/editor.html", {"dag": dag, "bootstrap": bootstrap})


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Show the user's API token; POST makes a new one (the old one stops working)."""
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        messages.success(request, "A new token was made; the old one no longer works.")
        return redirect("api-token")
    token, _ = Token.objects.get_or_create(user=request.user)
    return render(
        request,
        "editor/api_token.html",
        {"token": token.key, "api_url": request.build_absolute_uri("/api/dags/")},
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
