-- The job queue of an entity: its jobs that are not Completed or Canceled, the running ones first, then by priority and scheduled start.
-- @param ent_id int
SELECT j.wo_id, j.oper_id, j.seq_no, j.job_desc, j.item_id, j.state_cd, j.job_priority,
       j.req_qty, j.qty_prod, j.target_ent_id, j.run_ent_id, j.target_sched_start_time_utc
  FROM job j
 WHERE COALESCE(j.run_ent_id, j.target_ent_id) = :ent_id AND j.state_cd NOT IN (4, 7)
 ORDER BY CASE j.state_cd WHEN 3 THEN 0 ELSE 1 END, j.job_priority DESC,
          j.target_sched_start_time_utc, j.wo_id, j.oper_id, j.seq_no
