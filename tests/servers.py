"""Real servers for the setup and outage tests: a throwaway PostgreSQL cluster, a throwaway
redis-server, the app under gunicorn, and a small HTTP client.

The throwaway servers listen on free ports in temporary directories, so a test may stop and start
them without touching the PostgreSQL and Redis the rest of the suite uses.
"""

import http.client
import http.cookies
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.ci import running_in_ci

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
# Generous limits: every client of a load test comes from 127.0.0.1, and the throttles are not what
# these tests are about.
UNTHROTTLED = {
    "QUIZSITE_THROTTLE_REGISTER": "100000/hour",
    "QUIZSITE_THROTTLE_TOKEN": "100000/minute",
    "QUIZSITE_THROTTLE_START": "100000/minute",
    "QUIZSITE_THROTTLE_SUBMIT": "100000/minute",
    "QUIZSITE_THROTTLE_INTERCHANGE": "100000/minute",
}


def require_binary(path):
    """Skip when a server binary is missing on a developer's machine; in CI (CI set) it must be there."""
    if Path(path).is_file() or shutil.which(str(path)):
        return
    if running_in_ci():
        pytest.fail(f"{path} is missing, and CI must run this test")
    pytest.skip(f"{path} is not installed")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def app_environment(**overrides):
    """Production settings (DEBUG off) for a server on 127.0.0.1 over plain HTTP."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "QUIZSITE_"))}
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="quizsite.settings",
        DJANGO_LOG_LEVEL="CRITICAL",
        **UNTHROTTLED,
    )
    environment.update(overrides)
    return environment


def run_manage(arguments, environment, *, timeout=180):
    result = subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


_static_collected = []


def collect_static(environment):
    """Production serves static files from collectstatic's manifest (whitenoise); pages need it once."""
    if not _static_collected:
        run_manage(["collectstatic", "--noinput", "-v0"], environment)
        _static_collected.append(True)


# What a test asserts about the database afterwards, read through the ORM in a fresh process.
ATTEMPTS_REPORT = """
import json
import django
django.setup()
from quizzes.models import Attempt
report = []
for attempt in Attempt.objects.select_related("quiz").prefetch_related("answers"):
    answers = list(attempt.answers.all())
    report.append({
        "id": str(attempt.id),
        "state": attempt.state,
        "score": None if attempt.score is None else str(attempt.score),
        "max_score": str(attempt.max_score),
        "percent": None if attempt.percent is None else str(attempt.percent),
        "passed": attempt.passed,
        "pass_mark": str(attempt.quiz.pass_mark),
        "answer_scores": [None if answer.score is None else str(answer.score) for answer in answers],
        "answers": {str(answer.question_id): sorted(answer.choice_ids) for answer in answers},
        "shown_questions": len(attempt.question_order),
    })
print(json.dumps(report))
"""


def attempts_in_database(environment):
    """Every attempt with its state, scores and saved answers, as plain JSON values."""
    result = subprocess.run(  # nosec B603 - fixed arguments, our own interpreter
        [sys.executable, "-c", ATTEMPTS_REPORT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def inconsistent_attempts(attempts):
    """The attempts that are neither closed with a consistent score nor open without one."""
    from decimal import Decimal

    from quizzes import scoring

    wrong = []
    for attempt in attempts:
        if attempt["state"] == "in_progress":
            if attempt["score"] is not None or any(score is not None for score in attempt["answer_scores"]):
                wrong.append(attempt)
            continue
        if attempt["score"] is None or None in attempt["answer_scores"]:
            wrong.append(attempt)
            continue
        score = Decimal(attempt["score"])
        percent = scoring.percent_of(score, Decimal(attempt["max_score"]))
        if (
            score != sum((Decimal(value) for value in attempt["answer_scores"]), Decimal("0"))
            or len(attempt["answer_scores"]) != attempt["shown_questions"]
            or Decimal(attempt["percent"]) != percent
            or attempt["passed"] != scoring.has_passed(percent, Decimal(attempt["pass_mark"]))
        ):
            wrong.append(attempt)
    return wrong


class RedisServer:
    """A redis-server without persistence: a restart loses every key, as an eviction or a crash would."""

    def __init__(self, directory):
        require_binary("redis-server")
        self.directory = Path(directory)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # nosec B603 B607 - fixed arguments
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


class PostgresCluster:
    """A PostgreSQL 15 cluster of its own in a temporary directory, run as the postgres user when root."""

    def __init__(self):
        require_binary(POSTGRES_BIN / "initdb")
        self.directory = Path(tempfile.mkdtemp(prefix="quizsite-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(POSTGRES_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/quizsite"

    def _run(self, *command):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # nosec B603 - fixed arguments

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.directory / "log", "-w", "start")

    def stop(self):
        self._run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def create_database(self):
        self._run(POSTGRES_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "quizsite")

    def remove(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.directory, ignore_errors=True)


class AppServer:
    """The app under gunicorn with sync workers, the way production runs it."""

    def __init__(self, environment, *, workers=2, log_path=None):
        self.environment = environment
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self):
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - kept by Popen
        self.process = subprocess.Popen(  # nosec B603 - fixed arguments, our own gunicorn
            [str(BIN / "gunicorn"), "quizsite.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "30", "--graceful-timeout", "5"],
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=log,
        )
        wait_for_port(self.port, timeout=60)
        # The port is bound before the workers have imported Django: wait for a first answer.
        deadline = time.monotonic() + 60
        while Browser(self.base_url).request("GET", "/api/v1/quizzes/", timeout=30).status is None:
            if time.monotonic() > deadline:
                raise TimeoutError("gunicorn gave no answer after 60 s")
            time.sleep(0.1)

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
            self.process = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Browser:
    """An HTTP client that keeps its cookies by hand: with DEBUG off they are Secure, and this talks
    plain HTTP to 127.0.0.1, where a standard cookie jar would not send them back."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = {}

    def request(self, method, path, *, json_body=None, form=None, headers=None, timeout=15):
        """The response, or a Response with status None when the connection itself failed."""
        headers = dict(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with _opener.open(request, timeout=timeout) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        except (OSError, http.client.HTTPException) as error:
            return Response(None, {}, str(error).encode())
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response
