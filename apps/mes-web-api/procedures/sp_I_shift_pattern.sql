-- Adds a shift pattern with the next free pattern_id, stamped with the acting MES user; answers its id. A name that exists is refused by the unique index.
-- @param pattern_name text(40)
-- @param pattern_desc text(255) = null
INSERT INTO shift_pattern (pattern_id, pattern_name, pattern_desc, last_edit_by, last_edit_at)
SELECT COALESCE(MAX(pattern_id), 0) + 1, :pattern_name, :pattern_desc, :mes_user_id,
       strftime('%Y-%m-%d %H:%M:%f', 'now')
  FROM shift_pattern
RETURNING pattern_id
