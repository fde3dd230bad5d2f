-- The child entities of an entity (optionally only those that can run jobs), by name.
-- @param ent_id int
-- @param can_run_jobs bool = null
SELECT e.ent_id, e.ent_name, e.description, e.can_run_jobs, e.can_sched_jobs
  FROM ent e
 WHERE e.parent_ent_id = :ent_id AND (:can_run_jobs IS NULL OR e.can_run_jobs = :can_run_jobs)
 ORDER BY e.ent_name
