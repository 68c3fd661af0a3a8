"""`{% vite_entry "src/main.tsx" %}`: script and stylesheet tags for a Vite-built entry.

Vite writes hashed file names into static/dist/.vite/manifest.json; reading it here keeps
templates free of hashes. The entry's own CSS and the CSS of the chunks it imports are linked,
and its imported chunks are preloaded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class BundleMissing(Exception):
    pass


@lru_cache(maxsize=4)
def _read_manifest(path: str, mtime: float) -> dict:
    # Keyed on mtime so a rebuild during development is picked up without a restart.
    return json.loads(Path(path).read_text())


def load_manifest() -> dict:
    path = Path(settings.VITE_MANIFEST)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise BundleMissing(
            f"The front end is not built: {path} is missing. Run `npm ci && npm run build` "
            "in frontend/ (scripts/run.sh does it)."
        ) from None
    return _read_manifest(str(path), mtime)


def _dist(file: str) -> str:
    return static(f"dist/{file}")


def entry_assets(manifest: dict, entry: str) -> tuple[str, list[str], list[str]]:
    """(script file, stylesheets, chunks to preload) for `entry`, all relative to dist/."""
    if entry not in manifest:
        raise BundleMissing(f"The front-end manifest has no entry `{entry}`.")
    chunk = manifest[entry]
    css: list[str] = []
    preload: list[str] = []
    seen: set[str] = set()

    def visit(name: str, is_entry: bool) -> None:
        if name in seen:
            return
        seen.add(name)
        item = manifest[name]
        for sheet in item.get("css", []):
            if sheet not in css:
                css.append(sheet)
        if not is_entry:
            preload.append(item["file"])
        for child in item.get("imports", []):
            visit(child, False)

    visit(entry, True)
    return chunk["file"], css, preload


@register.simple_tag
def vite_entry(entry: str) -> SafeString:
    try:
        script, css, preload = entry_assets(load_manifest(), entry)
    except BundleMissing as exc:
        return format_html('<p class="notice notice-error" role="alert">{}</p>', str(exc))
    links = format_html_join("", '<link rel="stylesheet" href="{}">', ((_dist(c),) for c in css))
    preloads = format_html_join(
        "", '<link rel="modulepreload" href="{}">', ((_dist(p),) for p in preload)
    )
    tag = format_html('<script type="module" src="{}"></script>', _dist(script))
    return mark_safe(links + preloads + tag)
