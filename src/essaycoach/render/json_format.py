"""JSON: `Report.to_dict()`, the versioned wire format (schema/report.schema.json).

One essay gives the report object itself; several (given, even if fewer could be
judged) give {"schema_version", "tool", "reports": [...]} so a reader can always tell
them apart by the presence of "reports".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from essaycoach import __version__
from essaycoach.render.base import Renderer
from essaycoach.report import SCHEMA_VERSION, Report


def reports_document(reports: Sequence[Report], several: bool = False) -> dict[str, Any]:
    if len(reports) == 1 and not several:
        return reports[0].to_dict()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "essaycoach", "version": __version__},
        "reports": [r.to_dict() for r in reports],
    }


class JsonRenderer(Renderer):
    name = "json"
    extension = "json"

    def render(self, reports: Sequence[Report]) -> str:
        document = reports_document(reports, self.options.several_essays)
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
