"""JUnit XML: a test suite per essay, a test case per rubric criterion, plus the score.

Every test case's classname is the essay's path (the rubric is the suite's `rubric`
property), so viewers that group cases by class show one group per essay.

Criterion cases: met or partial pass (partial explains itself in system-out); a
missing required criterion is a failure; a missing optional criterion is skipped, so
CI dashboards show it without failing the build on it. The score case fails when the
essay could not be judged or scores under its threshold (`RenderOptions.fail_under_for`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from essaycoach.gating import under_threshold
from essaycoach.render.base import Renderer, location, score_text
from essaycoach.report import Report, Status
from essaycoach.rubric import MAX_LEVEL

# characters XML 1.0 cannot carry at all, even escaped
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)


class JunitRenderer(Renderer):
    name = "junit"
    extension = "junit.xml"

    def render(self, reports: Sequence[Report]) -> str:
        root = ET.Element("testsuites", name="essaycoach")
        # no "skipped" on <testsuites>: the JUnit schema Jenkins validates against (xunit
        # plugin's junit-10.xsd) refuses it there; each <testsuite> has its own
        totals = {"tests": 0, "failures": 0}
        for report in reports:
            suite = self._suite(report)
            root.append(suite)
            for key in totals:
                totals[key] += int(suite.get(key, "0"))
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("errors", "0")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"

    def _suite(self, report: Report) -> ET.Element:
        suite = ET.Element("testsuite", name=xml_text(report.essay.source))
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="rubric", value=xml_text(report.rubric_id))
        # the essay, so a CI viewer that groups test cases by class groups them per essay
        classname = xml_text(report.essay.source)
        failures = skipped = 0
        for c in report.criteria:
            case = ET.SubElement(
                suite, "testcase", name=xml_text(f"{c.id}: {c.name}"), classname=classname
            )
            level = f"level {c.level}/{MAX_LEVEL}"
            detail = f"status {c.status}, {level}, confidence {c.confidence:.2f}"
            if c.status == Status.MISSING and c.required:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", type="missing_required", message=xml_text(c.feedback)
                )
                failure.text = xml_text(f"Required criterion missing ({detail}). {c.feedback}")
            elif c.status == Status.MISSING:
                skipped += 1
                ET.SubElement(
                    case,
                    "skipped",
                    message=xml_text(f"optional criterion missing: {c.feedback}"),
                )
            else:
                lines = [detail, c.feedback]
                lines += [f"evidence at {location(report, ev.start)}" for ev in c.evidence]
                ET.SubElement(case, "system-out").text = xml_text("\n".join(lines))
        failures += self._score_case(suite, report, classname)
        suite.set("tests", str(len(suite.findall("testcase"))))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        return suite

    def _score_case(self, suite: ET.Element, report: Report, classname: str) -> int:
        threshold = self.options.fail_under_for(report)
        name = "score" if threshold is None else f"score >= {threshold:g}"
        case = ET.SubElement(suite, "testcase", name=name, classname=classname)
        total = report.score.total
        if total is None:
            reasons = " ".join(report.not_judged_reasons)
            failure = ET.SubElement(
                case, "failure", type="not_judged", message="the essay could not be judged"
            )
            failure.text = xml_text(reasons)
            return 1
        if threshold is not None and under_threshold(report, threshold):
            message = f"score {score_text(report)} is under {threshold:g}"
            ET.SubElement(case, "failure", type="score_under_threshold", message=message)
            return 1
        ET.SubElement(case, "system-out").text = f"score {score_text(report)}"
        return 0
