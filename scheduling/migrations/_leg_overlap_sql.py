"""SQL of the PostgreSQL exclusion constraint on legs (used by migration 0002 and tests)."""

CONSTRAINT = "leg_counter_no_overlap"

ADD = f"""
ALTER TABLE scheduling_leg ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (counter_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (state <> 'cancelled' AND counter_id IS NOT NULL AND start IS NOT NULL);
"""
CREATE = "CREATE EXTENSION IF NOT EXISTS btree_gist;\n" + ADD
DROP = f"ALTER TABLE scheduling_leg DROP CONSTRAINT IF EXISTS {CONSTRAINT};"
