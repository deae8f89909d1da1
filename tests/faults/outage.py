"""Requests while the database cannot be reached, in one process that is never restarted.

Run by test_database_outage.py in a subprocess against an instance of its own
(``python -m tests.faults.outage``): a signed-in user's page before, during and after an
outage (the connection pointed at a closed port, or for SQLite at a file that cannot be
opened), and on PostgreSQL after the server cut the connection (``pg_terminate_backend``).
Prints one JSON object: each step's status code, Retry-After, and whether the page showed
anything of the error.
"""

from __future__ import annotations

import json
import os
import socket

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
django.setup()

from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from tests.conftest import sign_in  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

_ERROR_WORDS = ("Traceback", "Error", "psycopg", "sqlite", "database file", "127.0.0.1")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


def _step(client: Client) -> dict[str, object]:
    # What the WSGI handler does at the start and end of every request, and Django's test
    # client leaves out: drop a connection that is broken or past its age.
    close_old_connections()
    response = client.get("/")
    close_old_connections()
    body = response.content.decode()
    return {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "shows_error": [word for word in _ERROR_WORDS if word in body],
        "says_unavailable": "Sorry, the service is unavailable" in body,
    }


def main() -> None:
    client = sign_in(Client(raise_request_exception=False), UserFactory(roles=["practitioner"]))
    steps = {"before": _step(client)}
    real = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = str(_closed_port())
    else:
        connection.settings_dict["NAME"] = os.path.join(os.devnull, "no-such-folder", "db")
    steps["during"] = _step(client)
    steps["during, again"] = _step(client)
    connection.close()
    connection.settings_dict.update(real)
    steps["after"] = _step(client)
    if connection.vendor == "postgresql":
        import psycopg

        pid = connection.connection.info.backend_pid  # type: ignore[union-attr]
        url = os.environ["DATABASE_URL"]
        with psycopg.connect(url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        steps["after the server cut the connection"] = _step(client)
    print(json.dumps(steps))


if __name__ == "__main__":
    main()
