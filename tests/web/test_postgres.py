"""The web tests run a second time on PostgreSQL (scripts/test.sh starts one with scripts/pg.sh and
sets SIFUND_DATABASE_URL). These tests prove that run really was on PostgreSQL, with the database
triggers of the append-only audit trail installed; without SIFUND_DATABASE_URL they are skipped."""

from __future__ import annotations

import os

import pytest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("SIFUND_DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="SIFUND_DATABASE_URL is not a postgresql:// URL (the SQLite run)",
    ),
]


def test_django_uses_the_postgresql_of_sifund_database_url(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as c:
        c.execute("SELECT current_database(), current_setting('server_encoding')")
        name, encoding = c.fetchone()
    assert name.startswith("test_"), name  # pytest-django's own database, one per xdist worker
    assert encoding == "UTF8"


def test_the_append_only_triggers_are_postgresql_triggers(db):
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s "
            "ORDER BY 1",
            ["%append_only"],
        )
        tables = [r[0] for r in c.fetchall()]
    assert tables == ["sifund_event", "sifund_findingcomment", "sifund_paymenthitevent"]


def test_a_raw_update_of_the_audit_trail_is_refused_by_the_database(county_submission):
    from django.db import DatabaseError, connection, transaction

    event = county_submission.events.first()
    for sql, params in (
        ("UPDATE sifund_event SET comment = %s WHERE id = %s", ["改写", event.pk]),
        ("DELETE FROM sifund_event WHERE id = %s", [event.pk]),
    ):
        with (
            pytest.raises(DatabaseError, match="sifund_event is append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, params)
    assert type(event).objects.filter(pk=event.pk, comment=event.comment).exists()
