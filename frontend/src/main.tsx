import "@xyflow/react/dist/style.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App";
import { attachBenchHooks } from "./benchHooks";

/** Django's CSRF token: from the mount point if the page gives it, else the csrftoken cookie. */
function csrfToken(mount: HTMLElement): string {
  if (mount.dataset.csrfToken) return mount.dataset.csrfToken;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]!) : "";
}

if (new URLSearchParams(window.location.search).has("bench")) attachBenchHooks();

const mount = document.getElementById("app");
if (mount) {
  const dagPk = Number(mount.dataset.dagId);
  createRoot(mount).render(
    <StrictMode>
      <App dagPk={dagPk} csrfToken={csrfToken(mount)} />
    </StrictMode>,
  );
}
