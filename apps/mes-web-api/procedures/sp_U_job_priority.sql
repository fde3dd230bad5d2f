-- Sets the priority of a job, stamped with the acting MES user; answers the job's key and new priority.
-- @param wo_id text(40)
-- @param oper_id text(40)
-- @param seq_no int = 0
-- @param job_priority int
UPDATE job
   SET job_priority = :job_priority,
       last_edit_by = :mes_user_id,
       last_edit_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
 WHERE wo_id = :wo_id AND oper_id = :oper_id AND seq_no = :seq_no
RETURNING wo_id, oper_id, seq_no, job_priority
