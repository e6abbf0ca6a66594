"""The bench's verdicts and tables: each scenario's targets, whether a run met them, and the Markdown tables."""


def targets_of(scenario):
    return {"min_ratio": scenario.min_ratio, "max_p99_ms": scenario.max_p99_ms}


def meets_targets(row):
    if row["errors"] or not row["requests"]:
        return False
    if row["min_ratio"] is not None and row["ratio"] < row["min_ratio"]:
        return False
    return row["max_p99_ms"] is None or row["p99_ms"] < row["max_p99_ms"]


# ---------------------------------------------------------------------------------------------
# Report


def format_table(run):
    data_set = run["data_set"]
    lines = [
        f"Data set '{data_set['name']}': {data_set['quizzes']} quizzes x {data_set['questions']} questions, "
        f"{data_set['attempts']} attempts",
        "",
        f"| {'scenario':<28} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | {'ratio':>6} | "
        f"{'target':<22} | {'met?':<4} |",
        f"|{'-' * 30}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 24}|{'-' * 6}|",
    ]
    ceiling = run["ceiling"]
    lines.append(
        f"| {ceiling['scenario']:<28} | {ceiling['requests_per_second']:>7.0f} | {ceiling['p50_ms']:>7.1f} | "
        f"{ceiling['p99_ms']:>7.1f} | {1:>6.3f} | {'(reference)':<22} | {'':<4} |"
    )
    in_stack = run.get("in_stack_reference")
    if in_stack:
        lines.append(
            f"| {in_stack['scenario']:<28} | {in_stack['requests_per_second']:>7.0f} | {in_stack['p50_ms']:>7.1f} | "
            f"{in_stack['p99_ms']:>7.1f} | {in_stack['ratio']:>6.3f} | {'(middleware cost)':<22} | {'':<4} |"
        )
    for row in run["scenarios"]:
        if row["status"] != "measured":
            lines.append(f"| {row['scenario']:<28} | {row['status']:<70} |")
            continue
        target = []
        if row["min_ratio"] is not None:
            target.append(f">= {row['min_ratio']:g}")
        if row["max_p99_ms"] is not None:
            target.append(f"p99 < {row['max_p99_ms']:g}")
        met = "yes" if row["met"] else "NO"
        if row["errors"]:
            met += f" ({row['errors']} errors)"
        lines.append(
            f"| {row['scenario']:<28} | {row['requests_per_second']:>7.0f} | {row['p50_ms']:>7.1f} | "
            f"{row['p99_ms']:>7.1f} | {row['ratio']:>6.3f} | {', '.join(target):<22} | {met:<4} |"
        )
    return "\n".join(lines)


SCALE_CHECKED = ("quiz list", "quiz detail", "result", "progress page", "statistics")


def format_comparison(small, large):
    """Large-data latency over small-data latency for the reads the issue holds to 2x."""
    by_name = {row["scenario"]: row for row in small["scenarios"] if row["status"] == "measured"}
    lines = ["", "Large data set against small (p50 and p99 latency ratio; target <= 2):", ""]
    lines.append(f"| {'scenario':<28} | {'p50 x':>6} | {'p99 x':>6} | {'met?':<4} |")
    lines.append(f"|{'-' * 30}|{'-' * 8}|{'-' * 8}|{'-' * 6}|")
    comparison = []
    for row in large["scenarios"]:
        base = by_name.get(row["scenario"])
        if row["status"] != "measured" or base is None or not row["scenario"].startswith(SCALE_CHECKED):
            continue
        p50 = row["p50_ms"] / base["p50_ms"] if base["p50_ms"] else 0.0
        p99 = row["p99_ms"] / base["p99_ms"] if base["p99_ms"] else 0.0
        met = p50 <= 2 and p99 <= 2
        comparison.append({"scenario": row["scenario"], "p50_ratio": p50, "p99_ratio": p99, "met": met})
        lines.append(f"| {row['scenario']:<28} | {p50:>6.2f} | {p99:>6.2f} | {'yes' if met else 'NO':<4} |")
    return "\n".join(lines), comparison
