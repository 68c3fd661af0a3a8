from django.contrib import admin

from .models import Dag, Run, RunEvent, TaskInstance


@admin.register(Dag)
class DagAdmin(admin.ModelAdmin):
    list_display = ["dag_id", "owner", "version", "updated_at"]
    list_filter = ["owner"]
    search_fields = ["dag_id", "owner__username"]
    readonly_fields = ["version", "created_at", "updated_at"]


class TaskInstanceInline(admin.TabularInline):
    model = TaskInstance
    extra = 0
    can_delete = False
    readonly_fields = ["task_id", "state", "try_number", "start", "end", "reason"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["id", "dag", "mode", "state", "created_at"]
    list_filter = ["mode", "state"]
    search_fields = ["dag__dag_id"]
    readonly_fields = ["last_seq", "created_at", "started_at", "ended_at"]
    inlines = [TaskInstanceInline]


@admin.register(RunEvent)
class RunEventAdmin(admin.ModelAdmin):
    # The event log is append-only: the admin may read it, never change it.
    list_display = ["run", "seq", "task_id", "from_state", "to_state", "sim_time"]
    list_filter = ["to_state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
