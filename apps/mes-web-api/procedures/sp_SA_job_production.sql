-- The production recorded for a job (job_history rows with event Production), oldest first.
-- @param wo_id text(40)
-- @param oper_id text(40)
-- @param seq_no int = 0
SELECT h.job_history_id, h.ent_id, h.qty, h.comment, h.user_id, h.event_at
  FROM job_history h
 WHERE h.wo_id = :wo_id AND h.oper_id = :oper_id AND h.seq_no = :seq_no AND h.event = 'Production'
 ORDER BY h.job_history_id
