"""Outages lose nothing: real servers stopped under load, a worker killed mid-submit.

Each test runs the app under gunicorn with production settings against a throwaway PostgreSQL
cluster or redis-server of its own (tests/servers.py), drives a bounded mixed load from threads,
takes a server away, brings it back, and asserts what clients saw (never a 500; every 503 carries
Retry-After; requests succeed again afterwards) and what the database holds (every attempt either
closed with a consistent score or in progress with its saved answers).
"""

import os
import re
import shutil
import signal
import threading
import time
import uuid

import pytest

from tests.servers import (
    AppServer,
    Browser,
    PostgresCluster,
    RedisServer,
    app_environment,
    attempts_in_database,
    collect_static,
    inconsistent_attempts,
    run_manage,
)

pytestmark = [pytest.mark.slow, pytest.mark.own_servers]

QUIZ = "parler-at-a-glance"
# Only what the load needs: the whole shipped content takes several seconds more to load.
CONTENT = ["fixtures/00-sources.yaml", "fixtures/01-topics.yaml", f"fixtures/quiz-{QUIZ}.yaml"]
PASSWORD = "a long passphrase 42"


@pytest.fixture(scope="module")
def content_database(tmp_path_factory):
    """A migrated SQLite file with the shipped content, copied for each test that needs one."""
    path = tmp_path_factory.mktemp("content") / "content.sqlite3"
    environment = app_environment(DATABASE_URL=f"sqlite:///{path}")
    run_manage(["migrate", "--noinput"], environment)
    run_manage(["load_content", *CONTENT], environment)
    collect_static(environment)
    return path


def sqlite_environment(content_database, tmp_path, **overrides):
    path = tmp_path / "site.sqlite3"
    shutil.copy(content_database, path)
    return app_environment(DATABASE_URL=f"sqlite:///{path}", **overrides)


class Load:
    """Learners and guests doing everything a site sees, from threads, until stopped.

    Every response is recorded as (seconds since start, step, status, Retry-After), and what the
    server acknowledged (saved answers, submitted scores) per attempt, to compare with the database.
    """

    def __init__(self, base_url, *, threads=4, with_guests=True):
        self.base_url = base_url
        self.thread_count = threads
        self.with_guests = with_guests
        self.started = time.monotonic()
        self.responses = []
        self.saved = {}
        self.submitted = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = []

    def start(self):
        self.threads = [
            threading.Thread(target=self._run, args=(index,), daemon=True) for index in range(self.thread_count)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def now(self):
        return time.monotonic() - self.started

    def _record(self, step, response):
        with self.lock:
            self.responses.append((self.now(), step, response.status, response.headers.get("Retry-After")))
        if response.status in (502, 503, 504) or response.status is None:
            time.sleep(0.05)  # a client that was told to retry later does not hammer
        return response

    def _call(self, client, step, method, path, **kwargs):
        return self._record(step, client.request(method, path, **kwargs))

    def _run(self, index):
        number = 0
        while not self.stopping.is_set():
            number += 1
            if self.with_guests and index % 2 == 0:
                self.guest()
            else:
                self.learner(f"learner-{index}-{number}-{uuid.uuid4().hex[:6]}")

    def learner(self, username):
        client = Browser(self.base_url)
        self._call(client, "home", "GET", "/")
        self._call(client, "quiz list", "GET", "/api/v1/quizzes/")
        credentials = {"username": username, "password": PASSWORD}
        if self._call(client, "register", "POST", "/api/v1/auth/register/", json_body=credentials).status != 201:
            return
        login = self._call(client, "log in", "POST", "/api/v1/auth/token/", json_body=credentials)
        if login.status != 200:
            return
        token = {"Authorization": f"Token {login.json()['token']}"}
        started = self._call(client, "start", "POST", f"/api/v1/quizzes/{QUIZ}/attempts/", headers=token)
        if started.status != 201:
            return
        attempt = started.json()
        for question in attempt["questions"]:
            choices = [question["choices"][0]["id"]]
            path = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}/"
            if self._call(client, "save", "PUT", path, json_body={"choices": choices}, headers=token).status != 200:
                return
            with self.lock:
                self.saved.setdefault(attempt["id"], {})[str(question["id"])] = choices
        submitted = self._call(client, "submit", "POST", f"/api/v1/attempts/{attempt['id']}/submit/", headers=token)
        if submitted.status == 200:
            with self.lock:
                self.submitted[attempt["id"]] = submitted.json()["score"]

    def guest(self):
        client = Browser(self.base_url)
        if self._call(client, "quiz page", "GET", f"/quizzes/{QUIZ}/").status != 200:
            return
        started = self._call(client, "guest start", "POST", f"/quizzes/{QUIZ}/start/", form={})
        if started.status == 302:
            self._call(client, "attempt page", "GET", started.headers["Location"])

    # What clients saw

    def statuses(self, *, since=0.0, until=float("inf"), steps=None):
        return [
            status
            for moment, step, status, _retry_after in self.responses
            if since <= moment < until and (steps is None or step in steps)
        ]

    def server_errors(self):
        return [entry for entry in self.responses if entry[2] is not None and entry[2] >= 500 and entry[2] != 503]

    def refusals_without_retry_after(self):
        return [entry for entry in self.responses if entry[2] == 503 and not entry[3]]


def assert_database_holds_what_clients_were_told(load, environment):
    attempts = {attempt["id"]: attempt for attempt in attempts_in_database(environment)}
    assert inconsistent_attempts(attempts.values()) == []
    for attempt_id, score in load.submitted.items():
        assert attempts[attempt_id]["state"] == "submitted"
        assert attempts[attempt_id]["score"] == score
    for attempt_id, answers in load.saved.items():
        for question_id, choices in answers.items():
            assert attempts[attempt_id]["answers"][question_id] == choices


def a_learner_completes_an_attempt(base_url, *, within):
    """Whether one learner can sign up, start, save and submit, retrying for `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        load = Load(base_url)
        load.learner(f"after-{uuid.uuid4().hex[:8]}")
        if load.submitted:
            return True
        time.sleep(0.5)
    return False


def test_postgresql_down_for_five_seconds_under_load_answers_503_with_retry_after_and_recovers(tmp_path):
    cluster = PostgresCluster()
    server = None
    try:
        cluster.start()
        cluster.create_database()
        environment = app_environment(DATABASE_URL=cluster.url)
        run_manage(["migrate", "--noinput"], environment)
        run_manage(["load_content", *CONTENT], environment)
        collect_static(environment)
        server = AppServer(environment, log_path=tmp_path / "gunicorn.log")
        server.start()
        load = Load(server.base_url)
        load.start()
        time.sleep(2)
        down_at = load.now()
        cluster.stop()
        time.sleep(5)
        cluster.start()
        up_at = load.now()
        time.sleep(3)
        load.stop()

        assert load.server_errors() == []
        assert load.refusals_without_retry_after() == []
        assert 503 in load.statuses(since=down_at, until=up_at)
        assert {200, 201} & set(load.statuses(until=down_at))
        assert a_learner_completes_an_attempt(server.base_url, within=10)
        assert_database_holds_what_clients_were_told(load, environment)
    finally:
        if server is not None:
            server.stop()
        cluster.remove()


def test_redis_down_under_load_keeps_pages_and_the_api_answering_from_the_database(content_database, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    environment = sqlite_environment(content_database, tmp_path, REDIS_URL=redis.url)
    server = AppServer(environment, log_path=tmp_path / "gunicorn.log")
    server.start()
    try:
        load = Load(server.base_url)
        load.start()
        time.sleep(3)
        down_at = load.now()
        redis.stop()
        time.sleep(6)
        up_at = load.now()
        redis.start()
        time.sleep(3)
        load.stop()

        assert load.server_errors() == []
        assert load.refusals_without_retry_after() == []
        # Nothing needs Redis to work: sign-up, log-in, start and submit go on while it is down.
        for step, expected in (("register", 201), ("log in", 200), ("start", 201), ("submit", 200), ("home", 200)):
            assert expected in load.statuses(since=down_at + 0.5, until=up_at, steps={step}), step
        assert a_learner_completes_an_attempt(server.base_url, within=10)
        assert_database_holds_what_clients_were_told(load, environment)
    finally:
        server.stop()
        redis.stop()


def test_a_guest_keeps_the_attempt_in_progress_across_a_redis_restart(content_database, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    environment = sqlite_environment(content_database, tmp_path, REDIS_URL=redis.url)
    server = AppServer(environment, workers=1, log_path=tmp_path / "gunicorn.log")
    server.start()
    try:
        guest = Browser(server.base_url)
        question = Browser(server.base_url).request("GET", f"/api/v1/quizzes/{QUIZ}/").json()["questions"][0]
        choice_id = question["choices"][1]["id"]
        assert guest.request("GET", f"/quizzes/{QUIZ}/").status == 200
        started = guest.request("POST", f"/quizzes/{QUIZ}/start/", form={})
        assert started.status == 302
        attempt_path = started.headers["Location"]
        # The page's script autosaves through the API, which knows the guest by the session (and its CSRF token).
        saved = guest.request(
            "PUT", f"/api/v1{attempt_path}answers/{question['id']}/", json_body={"choices": [choice_id]}
        )
        assert saved.status == 200, saved.text

        # No persistence: the restarted Redis has lost every key, sessions included.
        redis.stop()
        redis.start()

        page = guest.request("GET", attempt_path)
        assert page.status == 200
        assert re.search(rf'value="{choice_id}"[^>]*checked', page.text)
        [attempt] = attempts_in_database(environment)
        assert attempt["state"] == "in_progress"
        assert attempt["answers"] == {str(question["id"]): [choice_id]}

        submitted = guest.request("POST", attempt_path, form={"action": "submit", "confirm_incomplete": "1"})
        assert submitted.status == 302 and submitted.headers["Location"].endswith("/result/")
        assert guest.request("GET", submitted.headers["Location"]).status == 200
        [attempt] = attempts_in_database(environment)
        assert attempt["state"] == "submitted"
    finally:
        server.stop()
        redis.stop()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_worker_killed_in_the_middle_of_submits_leaves_every_attempt_consistent(database, content_database, tmp_path):
    cluster = PostgresCluster() if database == "postgresql" else None
    server = None
    try:
        if cluster is None:
            environment = sqlite_environment(content_database, tmp_path)
        else:
            cluster.start()
            cluster.create_database()
            environment = app_environment(DATABASE_URL=cluster.url)
            run_manage(["migrate", "--noinput"], environment)
            run_manage(["load_content", *CONTENT], environment)
            collect_static(environment)
        server = AppServer(environment, workers=2, log_path=tmp_path / "gunicorn.log")
        server.start()
        # Learners only: each thread signs up, starts, saves every answer and submits, again and again.
        load = Load(server.base_url, threads=6, with_guests=False)
        load.start()
        killed = []
        for _ in range(3):
            time.sleep(1.5)
            pid = server.worker_pids()[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(1.5)
        load.stop()

        assert len(killed) == 3
        # Sync workers each serve one request at a time and the threads keep both busy: each kill cut
        # at least one request off in the middle.
        assert None in load.statuses(steps={"start", "save", "submit", "register", "log in"})
        assert load.submitted, "no submit got through"
        assert load.server_errors() == []
        assert a_learner_completes_an_attempt(server.base_url, within=10)
        assert_database_holds_what_clients_were_told(load, environment)
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.remove()
