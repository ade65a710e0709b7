"""The structure check. (Skeleton: being implemented.)"""

from __future__ import annotations

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay


class StructureCheck:
    id = "structure"

    def __init__(self, *args: object) -> None:
        raise NotImplementedError("structure check is not implemented yet")

    def run(self, essay: Essay) -> CheckResult:
        raise NotImplementedError
