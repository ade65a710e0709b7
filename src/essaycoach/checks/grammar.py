"""The grammar check. (Skeleton: being implemented.)"""

from __future__ import annotations

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay


class GrammarCheck:
    id = "grammar"

    def __init__(self, *args: object) -> None:
        raise NotImplementedError("grammar check is not implemented yet")

    def run(self, essay: Essay) -> CheckResult:
        raise NotImplementedError
