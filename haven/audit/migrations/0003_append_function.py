"""PostgreSQL: append audit entries in one statement.

`haven_audit_append(fields text[])` takes, per entry, the JSON text of its hashed fields between seq and
prev_hash (haven.db.auditlog.hashed_fields), locks the chain head, and for each entry in order: numbers it,
hashes `'[' || seq || ',' || fields || ',' || to_json(prev_hash) || ']'` (UTF-8, SHA-256, hex: the payload
haven.db.auditlog.chain_payload builds and `haven audit verify` recomputes), inserts it with its columns read
from that same text, and finally moves the head. One round trip instead of BEGIN, SELECT ... FOR UPDATE, INSERT,
UPDATE, COMMIT. SQLite keeps the Python path.
"""
from django.db import migrations

from haven.migration_sql import postgresql_sql

PG_CREATE = r"""
CREATE OR REPLACE FUNCTION haven_audit_append(fields text[])
RETURNS TABLE(entry_id bigint, entry_seq bigint, entry_prev_hash varchar, entry_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head_seq bigint;
    head_hash varchar;
    item text;
    m jsonb;
    digest varchar;
    new_id bigint;
BEGIN
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_audithead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        -- After a flush of the tables: the head is rebuilt from the last entry, as the Python path does.
        INSERT INTO audit_audithead (id, seq, hash)
        SELECT 1, coalesce(max(e.seq), 0),
               coalesce((SELECT l.hash FROM audit_auditentry l ORDER BY l.seq DESC LIMIT 1), repeat('0', 64))
        FROM audit_auditentry e
        ON CONFLICT (id) DO NOTHING;
        SELECT h.seq, h.hash INTO STRICT head_seq, head_hash FROM audit_audithead h WHERE h.id = 1 FOR UPDATE;
    END IF;
    FOREACH item IN ARRAY fields LOOP
        m := ('[' || item || ']')::jsonb;
        IF jsonb_typeof(m) <> 'array' OR jsonb_array_length(m) <> 10 THEN
            RAISE EXCEPTION 'haven_audit_append: expected the 10 hashed fields of an entry, got %', item;
        END IF;
        head_seq := head_seq + 1;
        digest := encode(sha256(convert_to(
            '[' || head_seq::text || ',' || item || ',' || to_json(head_hash::text)::text || ']', 'UTF8')), 'hex');
        INSERT INTO audit_auditentry (seq, created_at, actor_id, actor_label, action, object_type, object_id,
                                      case_id, summary, changes, ip_address, prev_hash, hash)
        VALUES (head_seq, (m->>0)::timestamptz, (m->>1)::bigint, m->>2, m->>3, m->>4, m->>5,
                (m->>6)::bigint, m->>7, m->8, m->>9, head_hash, digest)
        RETURNING id INTO new_id;
        entry_id := new_id;
        entry_seq := head_seq;
        entry_prev_hash := head_hash;
        entry_hash := digest;
        RETURN NEXT;
        head_hash := digest;
    END LOOP;
    UPDATE audit_audithead SET seq = head_seq, hash = head_hash WHERE id = 1;
END;
$$;
"""
PG_DROP = "DROP FUNCTION IF EXISTS haven_audit_append(text[]);"


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [postgresql_sql([PG_CREATE], [PG_DROP])]
