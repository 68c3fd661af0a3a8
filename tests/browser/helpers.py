"""Small actions on the editor page, in the words a user would use."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
UMBRELLA = json.loads((ROOT / "editor" / "examples" / "umbrella.json").read_text())


def node(page: Page, task_id: str):
    return page.locator(f'.react-flow__node[data-id="{task_id}"]')


def task_box(page: Page, task_id: str):
    return page.get_by_test_id(f"task-{task_id}")


def open_editor(page: Page, url: str, pk: int) -> None:
    page.goto(f"{url}/dags/{pk}/")
    expect(page.locator(".editor")).to_have_attribute("data-ready", "true")
    expect(page.locator(".react-flow__node").first).to_be_visible()


def add_task(page: Page, operator: str, task_id: str) -> None:
    """Add a task from the palette and name it in the properties panel."""
    page.get_by_test_id(f"palette-{operator}").click()
    page.get_by_test_id("tab-task").click()
    field = page.get_by_test_id("task-id-input")
    field.fill(task_id)
    field.press("Enter")
    expect(task_box(page, task_id)).to_be_visible()


def select_task(page: Page, task_id: str) -> None:
    task_box(page, task_id).click()
    expect(node(page, task_id)).to_have_class(_contains("selected"))


def _contains(word: str):
    import re

    return re.compile(rf"(^|\s){re.escape(word)}(\s|$)")


def drag_connect(page: Page, source: str, target: str) -> None:
    """Drag from the source task's right handle to the target task's left handle."""
    start = node(page, source).locator(".react-flow__handle.source").bounding_box()
    end = node(page, target).locator(".react-flow__handle.target").bounding_box()
    assert start and end, f"handles of {source} or {target} are not on screen"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    # Approach from the right: near the canvas's left edge React Flow would auto-pan.
    page.mouse.move(end["x"] + end["width"] / 2 + 30, end["y"] + end["height"] / 2, steps=8)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=4)
    page.mouse.up()


def edge(page: Page, source: str, target: str):
    return page.locator(f'.react-flow__edge[data-id="{source}->{target}"]')


def save(page: Page) -> None:
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false")
