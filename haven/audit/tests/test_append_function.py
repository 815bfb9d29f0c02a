"""Appends make the chain `haven audit verify` recomputes, byte for byte, under concurrency too; and the hashed
payload is still the one entries have always been hashed with (the plain entries written before the chain was
keyed still verify)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time

import pytest
from django.db import connection, connections
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.audit.models import Action, AuditEntry, AuditHead
from haven.audit.services import (
    COPY_THRESHOLD,
    Event,
    entry_hash,
    hashed_fields,
    record,
    record_events,
)
from haven.audit.keys import primary_key
from haven.audit.verify import entry_matches, verify_chain
from haven.testing.databases import postgresql_only
from haven.testing.factories import UserFactory

AWKWARD = ("리명철 복애 \"quoted\" \\ back\nslash\ttab \u2028 \u00e9 \U0001F642 <script>alert(1)</script> "
           "\u0001 ĸ 金正")
AWKWARD_CHANGES = {"이름": {"old": "김철수", "new": "金 Kim Ch'ŏl-su"}, "n": 3, "ratio": 1.5, "none": None,
                   "flag": True, "list": [1, "二", {"z": "ㅎ", "a": ""}], "date": dt.date(2026, 11, 21)}


def _legacy_entry_hash(*, seq, created_at, actor_id, actor_label, action, object_type, object_id, case_id, summary,
                       changes, ip_address, prev_hash) -> str:
    """The hash as entries were hashed before the payload was split for the database function."""
    payload = json.dumps(
        [seq, created_at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), actor_id, actor_label,
         action, object_type, object_id, case_id, summary, changes, ip_address, prev_hash],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
_json = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(seq=st.integers(min_value=1, max_value=2**62), actor_id=st.none() | st.integers(min_value=1, max_value=2**62),
       case_id=st.none() | st.integers(min_value=1, max_value=2**62), label=_text, action=_text, object_type=_text,
       object_id=_text, summary=_text, changes=st.dictionaries(_text, _json, max_size=5), ip=_text,
       prev_hash=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
       created_at=st.datetimes(timezones=st.just(dt.timezone.utc)))
def test_split_payload_hashes_as_entries_always_were(seq, actor_id, case_id, label, action, object_type, object_id,
                                                     summary, changes, ip, prev_hash, created_at):
    fields = dict(seq=seq, created_at=created_at, actor_id=actor_id, actor_label=label, action=action,
                  object_type=object_type, object_id=object_id, case_id=case_id, summary=summary, changes=changes,
                  ip_address=ip, prev_hash=prev_hash)
    assert entry_hash(**fields) == _legacy_entry_hash(**fields)


def test_hashed_fields_are_the_middle_of_the_payload():
    now = dt.datetime(2026, 11, 21, 18, 0, 0, 123456, tzinfo=dt.timezone.utc)
    text = hashed_fields(created_at=now, actor_id=7, actor_label="리명철", action="list", object_type="",
                         object_id="", case_id=None, summary=AWKWARD, changes={"b": 1, "a": [2]}, ip_address="::1")
    assert json.loads(f"[{text}]") == ["2026-11-21T18:00:00.123456+00:00", 7, "리명철", "list", "", "", None,
                                       AWKWARD, {"a": [2], "b": 1}, "::1"]
    assert "리명철" in text  # not \u-escaped: the payload is UTF-8, as before


def _stored_hash_matches(entry: AuditEntry) -> bool:
    return entry_matches(entry, primary_key())


@postgresql_only
@pytest.mark.django_db
def test_small_batches_and_copy_batches_make_one_chain():
    user = UserFactory()
    small = record_events(actor=user, ip_address="203.0.113.9", events=[
        Event(action=Action.VIEW, object_type="people.person", object_id=str(i), case_id=i,
              summary=f"복애 {i}", changes={"i": i}) for i in range(3)])
    large = record_events(actor=user, events=[
        Event(action=Action.IMPORT, object_type="people.person", object_id=str(i), changes={"name": f"철수 {i}"})
        for i in range(COPY_THRESHOLD)])
    last = record(actor=None, action=Action.KEY_ROTATION, summary="끝")
    seqs = [entry.seq for entry in [*small, *large, last]]
    assert seqs == list(range(seqs[0], seqs[0] + 3 + COPY_THRESHOLD + 1))
    assert [entry.prev_hash for entry in small[1:]] == [entry.hash for entry in small[:-1]]
    assert AuditEntry.objects.get(seq=small[1].seq).ip_address == "203.0.113.9"
    assert AuditEntry.objects.get(seq=last.seq).actor_label == "system"
    assert all(_stored_hash_matches(entry) for entry in AuditEntry.objects.all())
    result = verify_chain()
    assert result.ok and result.checked == AuditEntry.objects.count()


@postgresql_only
@pytest.mark.django_db
def test_a_missing_head_is_rebuilt_from_the_last_entry():
    first = record(actor=None, action=Action.VIEW, summary="첫째")
    AuditHead.objects.all().delete()  # as after a flush that kept the entries
    second = record(actor=None, action=Action.VIEW, summary="둘째")
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert verify_chain().ok


def _other_connection():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                           password=db["PASSWORD"], dbname=db["NAME"])


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_append_waits_for_the_chain_lock_held_by_another_transaction():
    first = record(actor=None, action=Action.VIEW, summary="첫째")
    outcome: dict = {}

    def second_append():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            outcome["entry"] = record(actor=None, action=Action.VIEW, summary="둘째 (waited)")
        except Exception as error:  # reported by the main thread
            outcome["error"] = error
        finally:
            connections.close_all()

    with _other_connection() as holder:
        holder.execute("SELECT seq FROM audit_audithead WHERE id = 1 FOR UPDATE")  # in a transaction: locked
        thread = threading.Thread(target=second_append)
        thread.start()
        waiting = False
        with _other_connection() as observer:
            observer.autocommit = True
            deadline = time.monotonic() + 60
            while not waiting and time.monotonic() < deadline and thread.is_alive():
                pid = outcome.get("pid")
                waiting = pid is not None and observer.execute(
                    "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]
                time.sleep(0.01)
        assert waiting, outcome.get("error") or "the second append did not wait for the chain lock"
        assert "entry" not in outcome
        holder.commit()
    thread.join(60)
    assert not thread.is_alive() and "error" not in outcome
    entry = outcome["entry"]
    assert (entry.seq, entry.prev_hash) == (first.seq + 1, first.hash)
    assert verify_chain().ok


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    errors: list[Exception] = []
    start = threading.Barrier(4)

    def appender(n: int):
        try:
            start.wait(30)
            for i in range(15):
                record(actor=None, action=Action.VIEW, summary=f"작업자 {n} · {i}", changes={"n": n, "i": i})
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    before = AuditEntry.objects.count()
    threads = [threading.Thread(target=appender, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and not any(thread.is_alive() for thread in threads)
    assert AuditEntry.objects.count() == before + 60
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    result = verify_chain()
    assert result.ok, result.reason


@pytest.mark.django_db
def test_awkward_content_is_stored_as_it_was_maced():
    entry = record(actor=None, action=Action.UPDATE, summary=AWKWARD, case_id=42, changes=AWKWARD_CHANGES)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.summary, stored.changes["date"], stored.key_id) == (AWKWARD, "2026-11-21", primary_key().id)
    assert stored.changes["이름"] == {"old": "김철수", "new": "金 Kim Ch'ŏl-su"}
    assert _stored_hash_matches(stored) and verify_chain().ok
