-- The entities below a parent entity, by id (the consumer app's own DirectAccess procedure).
-- @param parent_ent_id int
SELECT e.ent_id, e.ent_name
  FROM ent e
 WHERE e.parent_ent_id = :parent_ent_id
 ORDER BY e.ent_id
