"""Shapes of the API's requests and answers (docs/interfaces.md). Checks of meaning (is this a
valid DAG?) happen in editor/dags.py and the engine, not here."""

from rest_framework import serializers

from .models import Dag, Run, RunEvent, RunMode, TaskInstance

EXPORT_FORMATS = ["airflow", "taskflow", "json", "yaml", "dot", "svg", "png"]


class DagSummarySerializer(serializers.ModelSerializer):
    task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dag
        fields = ["id", "dag_id", "version", "task_count", "created_at", "updated_at"]
        read_only_fields = fields


class DagSerializer(serializers.ModelSerializer):
    document = serializers.JSONField(help_text="The DAG in the dagsim/1 interchange format.")
    layout = serializers.JSONField(
        required=False, help_text='Editor-only data, e.g. {"positions": {task_id: {x, y}}}.'
    )
    scenarios = serializers.JSONField(
        required=False, help_text="Named scenario documents: {name: scenario}."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On writes: the version you edited (or send If-Match). Answers: the current one.",
    )

    class Meta:
        model = Dag
        fields = [
            "id",
            "dag_id",
            "document",
            "layout",
            "scenarios",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "dag_id", "created_at", "updated_at"]


class DuplicateSerializer(serializers.Serializer):
    dag_id = serializers.CharField(
        required=False, max_length=250, help_text="The copy's name; default `<name>_copy`."
    )


class RunStartSerializer(serializers.Serializer):
    scenario = serializers.JSONField(
        required=False, help_text="A scenario document; default: every task succeeds."
    )
    scenario_name = serializers.CharField(
        required=False, max_length=200, help_text="Run one of the DAG's saved scenarios."
    )
    mode = serializers.ChoiceField(choices=RunMode.choices, default=RunMode.INSTANT)
    speed = serializers.FloatField(
        default=1.0,
        min_value=0.01,
        max_value=10000.0,
        help_text="Live runs: simulated seconds per wall-clock second.",
    )

    def validate_scenario(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("A scenario must be a JSON object.")
        return value

    def validate(self, attrs):
        dag = self.context["dag"]
        name = attrs.get("scenario_name")
        if name is not None and "scenario" not in attrs:
            if name not in dag.scenarios:
                raise serializers.ValidationError(
                    {"scenario_name": f"The DAG has no saved scenario called `{name}`."}
                )
            attrs["scenario"] = dag.scenarios[name]
        attrs.setdefault("scenario", {})
        return attrs


class RunSummarySerializer(serializers.ModelSerializer):
    dag_id = serializers.CharField(source="dag.dag_id", read_only=True)

    class Meta:
        model = Run
        fields = [
            "id",
            "dag",
            "dag_id",
            "mode",
            "state",
            "scenario",
            "scenario_name",
            "speed",
            "created_at",
            "started_at",
            "ended_at",
            "last_seq",
        ]
        read_only_fields = fields


class RunSerializer(RunSummarySerializer):
    result = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The engine's trace once the run finished."
    )

    class Meta(RunSummarySerializer.Meta):
        fields = RunSummarySerializer.Meta.fields + ["result"]
        read_only_fields = fields


class TaskInstanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskInstance
        fields = ["task_id", "state", "try_number", "start", "end", "reason"]
        read_only_fields = fields


class RunEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunEvent
        fields = [
            "run",
            "seq",
            "task_id",
            "try_number",
            "from_state",
            "to_state",
            "reason",
            "sim_time",
            "wall_time",
        ]
        read_only_fields = fields


def json_object(what: str):
    """A validator refusing JSON that is not an object, naming what was expected."""

    def check(value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(f"{what} must be a JSON object.")
        return value

    return check


class ValidateRequestSerializer(serializers.Serializer):
    document = serializers.JSONField(validators=[json_object("The DAG document")])
    scenario = serializers.JSONField(required=False, validators=[json_object("A scenario")])


class ProblemLocationSerializer(serializers.Serializer):
    path = serializers.CharField(allow_null=True)
    task_id = serializers.CharField(allow_null=True)
    edge = serializers.ListField(child=serializers.CharField(), allow_null=True)
    field = serializers.CharField(allow_null=True)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()
    location = ProblemLocationSerializer()
    data = serializers.DictField()


class ErrorsSerializer(serializers.Serializer):
    errors = ProblemSerializer(many=True)


class ValidateResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = ProblemSerializer(many=True)
    warnings = ProblemSerializer(many=True)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An Airflow .py file, or a dagsim JSON or YAML file.")


class ImportResultSerializer(serializers.Serializer):
    document = serializers.JSONField()
    warnings = ProblemSerializer(many=True)


class LayoutRequestSerializer(serializers.Serializer):
    document = serializers.JSONField(validators=[json_object("The DAG document")])


class PositionSerializer(serializers.Serializer):
    x = serializers.FloatField()
    y = serializers.FloatField()


class LayoutResultSerializer(serializers.Serializer):
    positions = serializers.DictField(child=PositionSerializer())


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=EXPORT_FORMATS)
    run = serializers.IntegerField(
        required=False, min_value=1, help_text="Colour the tasks with this run's final states."
    )


class VersionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
