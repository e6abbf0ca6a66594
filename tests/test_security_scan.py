"""Static security scan: bandit finds nothing of medium or high severity in our code."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["quizzes", "quizsite"]


def test_bandit_finds_nothing_of_medium_or_high_severity():
    result = subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "bandit", "-r", *SCANNED, "--severity-level", "medium", "--format", "json", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{finding['filename']}:{finding['line_number']} {finding['test_id']} {finding['issue_text']}"
        for finding in report["results"]
        if finding["issue_severity"] in {"MEDIUM", "HIGH"}
    ]

    assert report["errors"] == []
    assert findings == []
    assert result.returncode == 0, result.stderr


def test_every_bandit_suppression_names_the_check_it_silences():
    # A bare "nosec" would hide every future finding on that line, not just the one reviewed.
    bare = []
    for package in SCANNED:
        for path in (ROOT / package).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"#\s*nosec\b", line) and not re.search(r"#\s*nosec\s+B\d{3}", line):
                    bare.append(f"{path.relative_to(ROOT)}:{number}")

    assert bare == []
