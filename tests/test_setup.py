"""`manage.py migrate` alone gives a working service: no separate `createcachetable`.

A fresh SQLite file, the deploy step `migrate`, the shipped content, then gunicorn in production
settings: signing up, starting, saving and submitting over HTTP all answer, and the database holds
the submitted attempt.
"""

import pytest

from tests.servers import AppServer, Browser, app_environment, attempts_in_database, collect_static, run_manage

pytestmark = [pytest.mark.slow, pytest.mark.own_servers]


def test_after_only_migrate_on_an_empty_database_a_learner_registers_starts_saves_and_submits(tmp_path):
    environment = app_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    run_manage(["migrate", "--noinput"], environment)
    run_manage(["load_content"], environment)
    collect_static(environment)
    server = AppServer(environment, workers=1, log_path=tmp_path / "gunicorn.log")
    server.start()
    try:
        client = Browser(server.base_url)
        registered = client.request(
            "POST", "/api/v1/auth/register/", json_body={"username": "ada", "password": "a long passphrase 42"}
        )
        assert registered.status == 201, registered.text
        token = {"Authorization": f"Token {registered.json()['token']}"}

        started = client.request("POST", "/api/v1/quizzes/parler-at-a-glance/attempts/", headers=token)
        assert started.status == 201, started.text
        attempt = started.json()
        question = attempt["questions"][0]
        saved = client.request(
            "PUT",
            f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}/",
            json_body={"choices": [question["choices"][0]["id"]]},
            headers=token,
        )
        assert saved.status == 200, saved.text
        submitted = client.request("POST", f"/api/v1/attempts/{attempt['id']}/submit/", headers=token)
        assert submitted.status == 200, submitted.text
        assert submitted.json()["state"] == "submitted"
        assert client.request("GET", "/").status == 200
    finally:
        server.stop()

    [stored] = attempts_in_database(environment)
    assert stored["id"] == attempt["id"]
    assert stored["state"] == "submitted"
    assert stored["score"] == submitted.json()["score"]
