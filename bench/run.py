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
import signal
import socket
import subprocess  # nosec B404 - runs gunicorn and wrk, both fixed argument lists
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
DATA_CACHE = BENCH / ".data"
PREFIX = "bench"
BIN = Path(sys.executable).parent

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
BARE_APPLICATION = "bench.bare.wsgi:application"
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


# ---------------------------------------------------------------------------------------------
# Server and load


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(arguments, database_url, port, log_path, *, application="quizsite.wsgi:application"):
    environment = {**os.environ, **server_environment(arguments, database_url)}
    if application == BARE_APPLICATION:
        environment["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    log = open(log_path, "w")  # noqa: SIM115 - stays open for the server's lifetime
    server = subprocess.Popen(  # nosec B603
        [
            str(BIN / "gunicorn"),
            application,
            f"--workers={arguments.workers}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"gunicorn did not listen on port {port} within 30 s; see {log_path}")


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def check_response(port, scenario):
    """One request before the load, so a scenario that answers 4xx/5xx is reported, not measured."""
    if scenario.script != "read.lua":
        return ""
    import urllib.error
    import urllib.request

    class KeepRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # a redirect (say, to the login page) is a failed scenario, not its target

    opener = urllib.request.build_opener(KeepRedirects)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{scenario.path}", headers=scenario.headers)
    try:
        # Requests the previous scenario's wrk left queued are answered first: give them time.
        with opener.open(request, timeout=60) as response:  # nosec B310 - loopback http only
            return "" if response.status == 200 else f"failed: HTTP {response.status}"
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        return f"failed: HTTP {error.code}" + (f" to {location}" if location else "")
    except TimeoutError:
        return "failed: no answer within 60 s"


def run_wrk(port, scenario, *, duration, connections):
    threads = connections if scenario.one_thread_per_connection else min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout=10s", "-s", str(BENCH / scenario.script)]
    for name, value in scenario.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{scenario.path}")
    completed = subprocess.run(  # nosec B603
        command,
        cwd=ROOT,
        env={**os.environ, **scenario.environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + 60,
    )
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk gave no result for {scenario.name}:\n{completed.stdout}\n{completed.stderr}")


def measure(port, scenario, arguments):
    connections = scenario.connections or arguments.connections
    if arguments.warmup:
        run_wrk(port, scenario, duration=arguments.warmup, connections=connections)
    raw = run_wrk(port, scenario, duration=arguments.duration, connections=connections)
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors_status"] + raw["errors_timeout"] + raw.get("failures", 0)
    return {
        "requests_per_second": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["latency_p50_us"] / 1000,
        "p99_ms": raw["latency_p99_us"] / 1000,
        "requests": raw["requests"],
        "errors": errors,
        "raw": raw,
    }


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
    bare_server = start_gunicorn(
        arguments, database_url, bare_port, workdir / "gunicorn-bare.log", application=BARE_APPLICATION
    )
    server = None
    rows = []
    try:
        server = start_gunicorn(arguments, database_url, port, workdir / "gunicorn.log")
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
