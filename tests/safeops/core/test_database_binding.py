"""PostgreSQL binds a statement's parameters on the server (decision 0021, section 8)."""

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_parameters_travel_apart_from_the_statement() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (make test-postgres)")
    with connection.cursor() as cursor:
        assert not isinstance(cursor.cursor, psycopg.ClientCursor)
        cursor.execute("SELECT %s::int + 1, %s::text", [41, "it's"])
        assert cursor.fetchone() == (42, "it's")
