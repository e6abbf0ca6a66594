"""Benchmark quizsite under gunicorn with wrk and compare every scenario with Django's ceiling.

    .venv/bin/python bench/run.py                  # what `make bench` runs: small data set, 10 s per scenario
    .venv/bin/python bench/run.py --smoke          # 2 s per scenario, for CI
    .venv/bin/python bench/run.py --data large     # 1000 quizzes x 20 questions, 100000 attempts (cached)
    .venv/bin/python bench/run.py --compare        # small and large in one run, with the latency ratio
    .venv/bin/python bench/run.py --reports        # teacher reports of one quiz with 100000 attempts

The harness builds a data set in a temporary SQLite file (or the database in --database-url), starts
gunicorn with production settings (DEBUG off, 2 sync workers, 127.0.0.1, a free port), runs each
scenario with wrk at 16 connections, prints a table and writes bench/results/latest.json. Absolute
numbers are noisy on a shared machine; the ratio to the ceiling is what to compare: a bare Django app
(bench/bare/: only SecurityMiddleware and CommonMiddleware, constant JSON, no database) served by its
own gunicorn with the same settings, in the same run. The same constant view behind the project's
whole middleware stack is a second reference row, so the cost of the middleware shows.
"""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import subprocess  # nosec B404 - runs gunicorn and wrk, both fixed argument lists
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from serving import BARE_APPLICATION, BENCH, ROOT, check_response, free_port, measure, start_gunicorn, stop
from tables import format_comparison, format_table, meets_targets, targets_of

RESULTS = BENCH / "results"
DATA_CACHE = BENCH / ".data"
PREFIX = "bench"

DATA_SETS = {
    # name: (quizzes, questions per quiz, attempts)
    "small": (50, 20, 5000),
    "large": (1000, 20, 100000),
    "smoke": (10, 20, 500),
    # One quiz that 100 000 attempts closed: the teacher reports' scale (issue 16).
    "reports": (1, 20, 100000),
}
REPORT_SCENARIOS = ("report of first attempts", "report of all attempts", "report of 30 days")
# Teachers read reports a few at a time: one connection per gunicorn worker, so latency is the
# report's own time and not a queue of 16 (which would need 8 times the speed for the same p99).
REPORT_CONNECTIONS = 2
LEARNERS_WITH_TOKENS = 400
CEILING_PATH = "/bench/ceiling/"
# One key for the whole run: sessions signed while preparing must be valid in the server.
SECRET_KEY = secrets.token_urlsafe(50)


@dataclass
class Scenario:
    name: str
    path: str = ""
    headers: dict = field(default_factory=dict)
    script: str = "read.lua"
    min_ratio: float | None = None
    max_p99_ms: float | None = None
    skipped: str = ""
    # Every request's connection is its own thread when the script keeps per-connection state.
    one_thread_per_connection: bool = False
    environment: dict = field(default_factory=dict)
    # Connections for this scenario instead of --connections (a report has a few readers, not 16).
    connections: int | None = None


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per scenario (default 10).")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured seconds before each scenario.")
    parser.add_argument(
        "--smoke", action="store_true", help="2 s per scenario on a tiny data set; fails on any error (CI)."
    )
    parser.add_argument("--data", choices=["small", "large"], default="small", help="Data set size.")
    parser.add_argument("--compare", action="store_true", help="Run small and large; compare latencies.")
    parser.add_argument(
        "--reports", action="store_true", help="Only the teacher report, on one quiz with 100000 attempts."
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2).")
    parser.add_argument("--database-url", default="", help="Use this database instead of a temp SQLite file.")
    parser.add_argument("--redis-url", default="", help="Cache, sessions and throttles in Redis.")
    parser.add_argument("--only", default="", help="Comma-separated scenario names to run (plus the ceiling).")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    arguments = parser.parse_args()
    if arguments.smoke:
        arguments.duration, arguments.warmup = 2, 1
    return arguments


# ---------------------------------------------------------------------------------------------
# Environment and data


def server_environment(arguments, database_url):
    environment = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": arguments.redis_url,
        "PYTHONPATH": str(ROOT),
        # "review answer" replays one learner's answers as fast as wrk can: the throttle still counts
        # each (its cost is measured) but never refuses one. Per second, so its history of requests
        # stays as short as a learner's under the real per-minute rate.
        "QUIZSITE_THROTTLE_REVIEW": "100000000/second",
    }
    return environment


def data_set_key(size):
    """Cache key of a generated SQLite data set: its size, the schema and the generator.

    Fixture edits do not count: the scenarios run on generated quizzes only.
    """
    digest = hashlib.sha256(repr(size).encode())
    inputs = sorted((ROOT / "quizzes" / "migrations").glob("*.py"))
    inputs.append(ROOT / "quizzes" / "management" / "commands" / "generate_demo_data.py")
    inputs += sorted((ROOT / "quizzes" / "demo_data").glob("*.py"))
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_database(arguments, size, workdir):
    """A database URL with migrations, fixtures and the generated data set loaded."""
    if arguments.database_url:
        # A server database is emptied and reloaded: the bench owns it for the run.
        run_manage(["migrate", "--noinput", "-v0"], database_url=arguments.database_url, arguments=arguments)
        run_manage(["flush", "--noinput"], database_url=arguments.database_url, arguments=arguments)
        load_content(arguments, size, database_url=arguments.database_url)
        return arguments.database_url
    database = workdir / "bench.sqlite3"
    cached = DATA_CACHE / f"{'x'.join(map(str, size))}-{data_set_key(size)}.sqlite3"
    if not cached.exists():
        DATA_CACHE.mkdir(exist_ok=True)
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        load_content(arguments, size, database_url=f"sqlite:///{building}")
        building.rename(cached)
        # Sets of this size built for an older schema or generator are never read again.
        for stale in DATA_CACHE.glob(f"{'x'.join(map(str, size))}-*"):
            if stale != cached:
                stale.unlink()
    else:
        print(f"Using the cached data set {cached.relative_to(ROOT)}", file=sys.stderr)
    shutil.copyfile(cached, database)
    return f"sqlite:///{database}"


def load_content(arguments, size, *, database_url):
    quizzes, questions, attempts = size
    run_manage(["migrate", "--noinput", "-v0"], database_url=database_url, arguments=arguments)
    run_manage(["createcachetable"], database_url=database_url, arguments=arguments)
    fixtures = sorted(str(path) for path in (ROOT / "fixtures").glob("*.yaml"))
    if fixtures:
        run_manage(["loaddata", "-v0", *fixtures], database_url=database_url, arguments=arguments)
    run_manage(
        [
            "generate_demo_data",
            f"--quizzes={quizzes}",
            f"--questions={questions}",
            f"--attempts={attempts}",
            f"--prefix={PREFIX}",
            "--seed=1",
        ],
        database_url=database_url,
        arguments=arguments,
    )
    if database_url.startswith("sqlite"):
        # One file to copy: fold the write-ahead log into the database.
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_manage(command, *, database_url, arguments):
    environment = {**os.environ, **server_environment(arguments, database_url)}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, env=environment, check=True)  # nosec B603


def prepare_scenarios(arguments, database_url, workdir, *, reports_only=False):
    """Learners with tokens, a submitted result, a session with an attempt open: what wrk replays."""
    environment = {**os.environ, **server_environment(arguments, database_url)}
    run_manage(["migrate", "--noinput", "-v0"], database_url=database_url, arguments=arguments)
    run_manage(["createcachetable"], database_url=database_url, arguments=arguments)
    run_manage(["collectstatic", "--noinput", "-v0"], database_url=database_url, arguments=arguments)
    output = workdir / "scenarios.json"
    subprocess.run(  # nosec B603
        [sys.executable, str(BENCH / "prepare.py"), str(output), str(LEARNERS_WITH_TOKENS), PREFIX]
        + (["reports"] if reports_only else []),
        cwd=ROOT,
        env=environment,
        check=True,
    )
    return json.loads(output.read_text())


def report_scenarios(prepared):
    """The teacher report (overview, item analysis, responses) of the most-attempted quiz, staff token."""
    missing = set(prepared["missing_paths"])
    staff = {"Authorization": f"Token {prepared['staff_token']}", "Accept": "application/json"}
    paths = prepared["paths"]
    return [
        Scenario(
            f"{name} (API)", paths[key], staff, max_p99_ms=300, connections=REPORT_CONNECTIONS,
            skipped="skipped: endpoint missing" if paths[key] in missing else "",
        )
        for name, key in zip(REPORT_SCENARIOS, ("report_first", "report_all", "report_month"))
    ]


def build_scenarios(prepared, workdir, connections):
    missing = set(prepared["missing_paths"])

    def skipped_unless(*paths):
        absent = [path for path in paths if path in missing]
        return "skipped: endpoint missing" if absent else ""

    token = {"Authorization": f"Token {prepared['learner_token']}", "Accept": "application/json"}
    staff = {"Authorization": f"Token {prepared['staff_token']}", "Accept": "application/json"}
    reviewer = {"Authorization": f"Token {prepared.get('reviewer_token', '')}", "Accept": "application/json"}
    session = {"Cookie": prepared["session_cookie"], "Accept": "text/html"}
    guest = {"Accept": "text/html"}
    api = {"Accept": "application/json"}
    data_file = workdir / "start_submit_data.lua"
    data_file.write_text(
        "return {\n"
        f"  start_path = {lua_string(prepared['paths']['start'])},\n"
        f"  body = {lua_string(prepared['submit_body'])},\n"
        f"  threads = {connections},\n"
        "  tokens = {" + ", ".join(lua_string(token) for token in prepared["tokens"]) + "},\n"
        "}\n"
    )
    paths = prepared["paths"]
    return [
        Scenario("quiz list (API)", paths["quiz_list"], api, min_ratio=0.5, max_p99_ms=50),
        Scenario("quiz detail (API)", paths["quiz_detail"], api, min_ratio=0.5, max_p99_ms=50),
        Scenario(
            "start + submit (API)",
            paths["start"],
            script="start_submit.lua",
            max_p99_ms=100,
            one_thread_per_connection=True,
            environment={"BENCH_DATA": str(data_file)},
            skipped=skipped_unless(paths["start"], paths["submit"]),
        ),
        Scenario("result (API)", paths["result"], token, min_ratio=0.3, max_p99_ms=50),
        Scenario("statistics (API)", paths["statistics"], staff, max_p99_ms=50),
        Scenario("home page (guest)", paths["home"], guest, min_ratio=0.3, max_p99_ms=50),
        Scenario("attempt page", paths["attempt_page"], session, max_p99_ms=50),
        Scenario("progress page", paths["progress_page"], session, max_p99_ms=50),
        *report_scenarios(prepared),
        # A learner with 10 000 memory states (generate_demo_data --review-states).
        Scenario(
            "review queue (API)", paths["review_queue"], reviewer, max_p99_ms=50,
            skipped="" if prepared.get("reviewer_token") else "skipped: no reviewer in the data",
        ),
        Scenario(
            "review answer (API)", paths["review_answer"], {**reviewer, "Content-Type": "application/json"},
            script="review_answer.lua", max_p99_ms=100,
            skipped="" if prepared.get("reviewer_token") else "skipped: no reviewer in the data",
        ),
    ], missing


def lua_string(value):
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII content


def run_data_set(arguments, data_name, workdir):
    size = DATA_SETS["smoke" if arguments.smoke else data_name]
    print(f"== data set {data_name}: {size[0]} quizzes x {size[1]} questions, {size[2]} attempts", file=sys.stderr)
    database_url = prepare_database(arguments, size, workdir)
    if data_name == "reports":
        prepared = prepare_scenarios(arguments, database_url, workdir, reports_only=True)
        scenarios = report_scenarios(prepared)
    else:
        prepared = prepare_scenarios(arguments, database_url, workdir)
        scenarios, _missing = build_scenarios(prepared, workdir, arguments.connections)
    if arguments.only:
        wanted = {name.strip() for name in arguments.only.split(",")}
        scenarios = [scenario for scenario in scenarios if scenario.name.split(" (")[0] in wanted]
    port, bare_port = free_port(), free_port()
    environment = server_environment(arguments, database_url)
    bare_server = start_gunicorn(
        environment, bare_port, workdir / "gunicorn-bare.log", workers=arguments.workers, application=BARE_APPLICATION
    )
    server = None
    rows = []
    try:
        server = start_gunicorn(environment, port, workdir / "gunicorn.log", workers=arguments.workers)
        ceiling = Scenario("ceiling (bare Django app)", CEILING_PATH, {"Accept": "application/json"})
        in_stack = Scenario("constant view, project stack", CEILING_PATH, {"Accept": "application/json"})
        ceiling_runs = [measure(bare_port, ceiling, arguments)]
        in_stack_row = {"scenario": in_stack.name, "status": "measured", **measure(port, in_stack, arguments)}
        for scenario in scenarios:
            status = scenario.skipped or check_response(port, scenario)
            if status:
                rows.append({"scenario": scenario.name, "status": status})
                print(f"   {scenario.name}: {status}", file=sys.stderr)
                continue
            print(f"   {scenario.name} ...", file=sys.stderr)
            result = measure(port, scenario, arguments)
            rows.append({"scenario": scenario.name, "status": "measured", **targets_of(scenario), **result})
        # The ceiling again at the end, so drift during the run shows and averages out.
        ceiling_runs.append(measure(bare_port, ceiling, arguments))
    finally:
        if server is not None:
            stop(server)
        stop(bare_server)
    ceiling_rate = sum(run["requests_per_second"] for run in ceiling_runs) / len(ceiling_runs)
    ceiling_row = {
        "scenario": ceiling.name,
        "status": "measured",
        **ceiling_runs[0],
        "requests_per_second": ceiling_rate,
        "ceiling_runs_requests_per_second": [run["requests_per_second"] for run in ceiling_runs],
    }
    in_stack_row["ratio"] = in_stack_row["requests_per_second"] / ceiling_rate if ceiling_rate else 0.0
    for row in rows:
        if row["status"] == "measured":
            row["ratio"] = row["requests_per_second"] / ceiling_rate if ceiling_rate else 0.0
            row["met"] = meets_targets(row)
    return {
        "data_set": {"name": data_name, "quizzes": size[0], "questions": size[1], "attempts": size[2]},
        "ceiling": ceiling_row,
        "in_stack_reference": in_stack_row,
        "scenarios": rows,
    }


def machine_description():
    return {"cpus": os.cpu_count(), "platform": sys.platform, "python": sys.version.split()[0]}


def main():
    arguments = parse_arguments()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    data_names = ["small", "large"] if arguments.compare else ["reports"] if arguments.reports else [arguments.data]
    report = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "settings": {
            "duration_seconds": arguments.duration,
            "connections": arguments.connections,
            "gunicorn_workers": arguments.workers,
            "database": "server" if arguments.database_url else "sqlite",
            "redis": bool(arguments.redis_url),
            "smoke": arguments.smoke,
        },
        "machine": machine_description(),
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="quizsite-bench-") as workdir:
        for data_name in data_names:
            report["runs"].append(run_data_set(arguments, data_name, Path(workdir)))
    text = "\n\n".join(format_table(run) for run in report["runs"])
    if len(report["runs"]) == 2:
        comparison_text, report["scale_comparison"] = format_comparison(*report["runs"])
        text += "\n" + comparison_text
    print(text)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {arguments.output.relative_to(ROOT) if arguments.output.is_relative_to(ROOT) else arguments.output}")
    if arguments.smoke:
        broken = [
            row["scenario"]
            for run in report["runs"]
            for row in run["scenarios"]
            if row["status"].startswith("failed") or row.get("errors")
        ]
        if broken:
            sys.exit(f"Smoke run failed: errors in {', '.join(broken)}")


if __name__ == "__main__":
    main()
