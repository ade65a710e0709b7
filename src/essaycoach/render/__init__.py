"""Report formats. `get_renderer(name)` returns the renderer for a format name.

The same names serve `essaycoach check` and `essaycoach grade`. Modules are
imported on demand so the CLI does not pay for formats it does not use.
"""

from __future__ import annotations

import importlib

from essaycoach.errors import SettingsError
from essaycoach.render.base import Renderer, RenderOptions

FORMATS = ("text", "json", "markdown", "html", "sarif", "github", "junit")

_RENDERER_CLASSES = {
    "text": ("essaycoach.render.text", "TextRenderer"),
    "json": ("essaycoach.render.json_format", "JsonRenderer"),
    "markdown": ("essaycoach.render.markdown", "MarkdownRenderer"),
    "html": ("essaycoach.render.html", "HtmlRenderer"),
    "sarif": ("essaycoach.render.sarif", "SarifRenderer"),
    "github": ("essaycoach.render.github", "GithubRenderer"),
    "junit": ("essaycoach.render.junit", "JunitRenderer"),
}

__all__ = ["FORMATS", "RenderOptions", "Renderer", "get_renderer"]


def get_renderer(name: str, options: RenderOptions | None = None) -> Renderer:
    """The renderer for format `name` (one of FORMATS); SettingsError (a ValueError) for
    any other name."""
    try:
        module_name, class_name = _RENDERER_CLASSES[name]
    except KeyError:
        raise SettingsError(
            f"unknown format {name!r} (choose from {', '.join(FORMATS)})", key="format"
        ) from None
    renderer_class = getattr(importlib.import_module(module_name), class_name)
    return renderer_class(options)
