import type { DagDocument } from "../../types";

// The book's umbrella DAG (shared/spec/dag-format.md), with both ERP fetches.
export const UMBRELLA: DagDocument = {
  format: "dagsim/1",
  dag_id: "umbrella",
  schedule: "@daily",
  start_date: "2024-01-01T00:00:00Z",
  default_args: { retries: 0, retry_delay_s: 300 },
  tasks: [
    { task_id: "start", operator: "empty" },
    { task_id: "pick_erp_system", operator: "branch" },
    { task_id: "fetch_sales_old", operator: "python", duration_s: 30 },
    { task_id: "fetch_sales_new", operator: "python" },
    { task_id: "join_erp_branch", operator: "empty", trigger_rule: "none_failed" },
    { task_id: "check_quality", operator: "short_circuit", ignore_downstream_trigger_rules: true },
    { task_id: "train_model", operator: "python", retries: 2, xcom_push: { model_id: "uuid" } },
    {
      task_id: "deploy_model",
      operator: "python",
      xcom_pull: [{ task_id: "train_model", key: "model_id" }],
    },
  ],
  edges: [
    ["start", "pick_erp_system"],
    ["pick_erp_system", "fetch_sales_old"],
    ["pick_erp_system", "fetch_sales_new"],
    ["fetch_sales_old", "join_erp_branch"],
    ["fetch_sales_new", "join_erp_branch"],
    ["join_erp_branch", "check_quality"],
    ["check_quality", "train_model"],
    ["train_model", "deploy_model"],
  ],
};
