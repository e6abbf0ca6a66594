"""The bench's servers and load: gunicorn started on a free port and stopped, one checking request, wrk runs."""

import json
import os
import signal
import socket
import subprocess  # nosec B404 - runs gunicorn and wrk, both fixed argument lists
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
BARE_APPLICATION = "bench.bare.wsgi:application"


# ---------------------------------------------------------------------------------------------
# Server and load


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(server_environment, port, log_path, *, workers, application="quizsite.wsgi:application"):
    environment = {**os.environ, **server_environment}
    if application == BARE_APPLICATION:
        environment["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    log = open(log_path, "w")  # noqa: SIM115 - stays open for the server's lifetime
    server = subprocess.Popen(  # nosec B603
        [
            str(BIN / "gunicorn"),
            application,
            f"--workers={workers}",
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
