"""The umbrella DAG from "Data Pipelines with Apache Airflow", written for Airflow 3.

Predict umbrella sales from weather and sales data: a branch between the old and the new ERP
system, a join that must tolerate the skipped branch, a short-circuit quality check, TaskFlow
training with an XCom, and a deploy step that only the latest run performs.
"""

from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.latest_only import LatestOnlyOperator
from airflow.providers.standard.operators.python import BranchPythonOperator, PythonOperator
from airflow.sdk import DAG, TriggerRule, task

ERP_CHANGE_DATE = pendulum.datetime(2024, 3, 1, tz="UTC")


def _pick_erp_system(**context):
    if context["data_interval_start"] < ERP_CHANGE_DATE:
        return "fetch_sales_old"
    return "fetch_sales_new"


def _fetch(**context):
    print("fetching", context["task"].task_id)


def _clean(**context):
    print("cleaning", context["task"].task_id)


with DAG(
    dag_id="umbrella",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
) as dag:
    start = EmptyOperator(task_id="start")

    pick_erp_system = BranchPythonOperator(
        task_id="pick_erp_system", python_callable=_pick_erp_system
    )
    fetch_sales_old = PythonOperator(task_id="fetch_sales_old", python_callable=_fetch)
    clean_sales_old = PythonOperator(task_id="clean_sales_old", python_callable=_clean)
    fetch_sales_new = PythonOperator(task_id="fetch_sales_new", python_callable=_fetch)
    clean_sales_new = PythonOperator(task_id="clean_sales_new", python_callable=_clean)
    join_erp_branch = EmptyOperator(task_id="join_erp_branch", trigger_rule=TriggerRule.NONE_FAILED)

    fetch_weather = PythonOperator(
        task_id="fetch_weather", python_callable=_fetch, retries=3, pool="weather_api"
    )
    clean_weather = PythonOperator(task_id="clean_weather", python_callable=_clean)

    join_datasets = PythonOperator(task_id="join_datasets", python_callable=_clean)

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def check_quality():
        return True

    @task(multiple_outputs=True, retries=2, retry_delay=timedelta(seconds=30))
    def train_model():
        return {"model_id": "umbrella-model"}

    @task(priority_weight=5)
    def deploy_model(model_id):
        print("deploying", model_id)

    latest_only = LatestOnlyOperator(task_id="latest_only")

    start >> [pick_erp_system, fetch_weather]
    pick_erp_system >> [fetch_sales_old, fetch_sales_new]
    fetch_sales_old >> clean_sales_old
    fetch_sales_new >> clean_sales_new
    [clean_sales_old, clean_sales_new] >> join_erp_branch
    fetch_weather >> clean_weather
    [join_erp_branch, clean_weather] >> join_datasets

    model = train_model()
    join_datasets >> check_quality() >> model
    deployed = deploy_model(model["model_id"])
    latest_only >> deployed
