"""What dagsim stores: users' DAGs and the runs simulated from them.

A Run keeps its own copy of the DAG document and scenario, so editing a DAG later never changes
what an earlier run showed. RunEvent is an append-only log with a per-run `seq` that never skips
or repeats: browsers resume a live run from the last seq they saw (editor/runs.py allocates it).
"""

from django.conf import settings
from django.db import models


class Dag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dags"
    )
    # Mirrors document["dag_id"] (kept in step on every save) so lists can sort and search by it.
    dag_id = models.CharField(max_length=250)
    document = models.JSONField(help_text="The DAG in the dagsim/1 interchange format.")
    layout = models.JSONField(
        default=dict,
        blank=True,
        help_text='Editor-only data, e.g. {"positions": {task_id: {x, y}}}.',
    )
    scenarios = models.JSONField(
        default=dict, blank=True, help_text="Named scenario documents: {name: scenario}."
    )
    # Bumped on every write; a write naming an older version is refused (optimistic concurrency).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dag_id", "id"]
        constraints = [
            # Airflow identifies a DAG by its dag_id; two of one user's DAGs with the same name
            # would export to the same file and be indistinguishable in the list.
            models.UniqueConstraint(fields=["owner", "dag_id"], name="unique_dag_id_per_owner"),
        ]

    def __str__(self) -> str:
        return self.dag_id

    @property
    def task_count(self) -> int:
        tasks = self.document.get("tasks") if isinstance(self.document, dict) else None
        return len(tasks) if isinstance(tasks, list) else 0


class RunMode(models.TextChoices):
    INSTANT = "instant", "instant"
    LIVE = "live", "live"


class RunState(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCESS = "success", "success"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "cancelled"


FINISHED_RUN_STATES = {RunState.SUCCESS, RunState.FAILED, RunState.CANCELLED}


class TaskState(models.TextChoices):
    """Airflow's task-instance states; `none` is a task that has not become runnable."""

    NONE = "none", "none"
    SCHEDULED = "scheduled", "scheduled"
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCESS = "success", "success"
    FAILED = "failed", "failed"
    SKIPPED = "skipped", "skipped"
    UPSTREAM_FAILED = "upstream_failed", "upstream_failed"
    UP_FOR_RETRY = "up_for_retry", "up_for_retry"


FINISHED_TASK_STATES = {
    TaskState.SUCCESS,
    TaskState.FAILED,
    TaskState.SKIPPED,
    TaskState.UPSTREAM_FAILED,
}


class Run(models.Model):
    dag = models.ForeignKey(Dag, on_delete=models.CASCADE, related_name="runs")
    document = models.JSONField(help_text="The DAG document as it was when the run started.")
    scenario = models.JSONField(default=dict, blank=True)
    scenario_name = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=10, choices=RunMode.choices)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    # Live runs: simulated seconds per wall-clock second.
    speed = models.FloatField(default=1.0)
    # The engine's Trace.to_dict() once the run has finished (instant runs: at once).
    result = models.JSONField(null=True, blank=True)
    # The last RunEvent.seq handed out; the next event gets last_seq + 1 under a row lock.
    last_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Live runs: when the next scheduling step is due (a try's end or a retry), in wall time.
    # The periodic sweep requeues runs left past it, e.g. because their worker died.
    wake_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Live runs: Airflow found nothing runnable and failed the run; nothing more is scheduled
    # (tries in flight still end). History the engine cannot derive from task states.
    deadlocked = models.BooleanField(default=False)
    # Live runs: what the last few steps played (editor/live.py, ``StepRecord``), so that a
    # worker process holding the run as it was a few steps ago replays them (checked against
    # their digests) instead of rebuilding the scheduler from every task instance.
    recent_steps = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.dag_id} ({self.mode}, {self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_RUN_STATES


class TaskInstance(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="task_instances")
    task_id = models.CharField(max_length=250)
    state = models.CharField(max_length=20, choices=TaskState.choices, default=TaskState.NONE)
    try_number = models.PositiveIntegerField(default=0)
    # Simulated seconds from the start of the run (the latest try's start and end).
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "task_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "task_id"], name="unique_task_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.state}"


class RunEvent(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    # Null for a change of the run's own state.
    task_id = models.CharField(max_length=250, null=True, blank=True)
    try_number = models.PositiveIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    sim_time = models.FloatField(default=0.0)
    wall_time = models.DateTimeField()

    class Meta:
        ordering = ["run", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["run", "seq"], name="unique_seq_per_run"),
        ]

    def __str__(self) -> str:
        who = self.task_id or "run"
        return f"#{self.seq} {who}: {self.from_state} -> {self.to_state}"
