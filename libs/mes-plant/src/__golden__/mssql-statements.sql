-- ent.byKey
-- @entId int
SELECT ent_id, ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM ent WHERE ent_id = @entId;

-- ent.idByName
-- @entName nvarchar(40)
SELECT ent_id FROM ent WHERE ent_name = @entName;

-- ent.nameTaken
-- @entName nvarchar(40)
-- @exceptEntId int
SELECT ent_id FROM ent WHERE ent_name = @entName AND ent_id <> @exceptEntId;

-- ent.parent
-- @entId int
SELECT parent_ent_id FROM ent WHERE ent_id = @entId;

-- ent.list()
-- @userId nvarchar(40)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) ent_id, ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM ent e WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = e.ent_id AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0) ORDER BY e.ent_id;

-- ent.list(ent_id,ent_name,description,parent_ent_id,can_sched_jobs,can_run_jobs,can_capture_util,can_capture_labor,can_track_oee,can_sched_shifts,can_store,can_log_data,can_ship,can_receive)
-- @userId nvarchar(40)
-- @ent_id int
-- @ent_name nvarchar(40)
-- @description nvarchar(255)
-- @parent_ent_id int
-- @can_sched_jobs int
-- @can_run_jobs int
-- @can_capture_util int
-- @can_capture_labor int
-- @can_track_oee int
-- @can_sched_shifts int
-- @can_store int
-- @can_log_data int
-- @can_ship int
-- @can_receive int
-- @maxRows int (row limit)
SELECT TOP (@maxRows) ent_id, ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM ent e WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = e.ent_id AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0) AND e.ent_id = @ent_id AND e.ent_name = @ent_name AND e.description = @description AND e.parent_ent_id = @parent_ent_id AND e.can_sched_jobs = @can_sched_jobs AND e.can_run_jobs = @can_run_jobs AND e.can_capture_util = @can_capture_util AND e.can_capture_labor = @can_capture_labor AND e.can_track_oee = @can_track_oee AND e.can_sched_shifts = @can_sched_shifts AND e.can_store = @can_store AND e.can_log_data = @can_log_data AND e.can_ship = @can_ship AND e.can_receive = @can_receive ORDER BY e.ent_id;

-- ent.list@token()
-- @groups nvarchar(max)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) ent_id, ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM ent e WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = e.ent_id AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0) ORDER BY e.ent_id;

-- ent.list@token(ent_id,ent_name,description,parent_ent_id,can_sched_jobs,can_run_jobs,can_capture_util,can_capture_labor,can_track_oee,can_sched_shifts,can_store,can_log_data,can_ship,can_receive)
-- @groups nvarchar(max)
-- @ent_id int
-- @ent_name nvarchar(40)
-- @description nvarchar(255)
-- @parent_ent_id int
-- @can_sched_jobs int
-- @can_run_jobs int
-- @can_capture_util int
-- @can_capture_labor int
-- @can_track_oee int
-- @can_sched_shifts int
-- @can_store int
-- @can_log_data int
-- @can_ship int
-- @can_receive int
-- @maxRows int (row limit)
SELECT TOP (@maxRows) ent_id, ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM ent e WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = e.ent_id AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0) AND e.ent_id = @ent_id AND e.ent_name = @ent_name AND e.description = @description AND e.parent_ent_id = @parent_ent_id AND e.can_sched_jobs = @can_sched_jobs AND e.can_run_jobs = @can_run_jobs AND e.can_capture_util = @can_capture_util AND e.can_capture_labor = @can_capture_labor AND e.can_track_oee = @can_track_oee AND e.can_sched_shifts = @can_sched_shifts AND e.can_store = @can_store AND e.can_log_data = @can_log_data AND e.can_ship = @can_ship AND e.can_receive = @can_receive ORDER BY e.ent_id;

-- ent.insert
-- @ent_name nvarchar(40)
-- @description nvarchar(255)
-- @parent_ent_id int
-- @can_sched_jobs int
-- @can_run_jobs int
-- @can_capture_util int
-- @can_capture_labor int
-- @can_track_oee int
-- @can_sched_shifts int
-- @can_store int
-- @can_log_data int
-- @can_ship int
-- @can_receive int
-- @spare1 nvarchar(80)
-- @spare2 nvarchar(80)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @mod_id nvarchar(36)
DECLARE @inserted TABLE (id int); INSERT INTO ent (ent_name, description, parent_ent_id, can_sched_jobs, can_run_jobs, can_capture_util, can_capture_labor, can_track_oee, can_sched_shifts, can_store, can_log_data, can_ship, can_receive, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id) OUTPUT INSERTED.ent_id INTO @inserted VALUES (@ent_name, @description, @parent_ent_id, @can_sched_jobs, @can_run_jobs, @can_capture_util, @can_capture_labor, @can_track_oee, @can_sched_shifts, @can_store, @can_log_data, @can_ship, @can_receive, @spare1, @spare2, @last_edit_comment, @last_edit_by, @last_edit_at, @mod_id); SELECT id FROM @inserted;

-- ent.update
-- @ent_name nvarchar(40)
-- @description nvarchar(255)
-- @parent_ent_id int
-- @can_sched_jobs int
-- @can_run_jobs int
-- @can_capture_util int
-- @can_capture_labor int
-- @can_track_oee int
-- @can_sched_shifts int
-- @can_store int
-- @can_log_data int
-- @can_ship int
-- @can_receive int
-- @spare1 nvarchar(80)
-- @spare2 nvarchar(80)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @mod_id nvarchar(36)
-- @entId int
UPDATE ent SET ent_name = @ent_name, description = @description, parent_ent_id = @parent_ent_id, can_sched_jobs = @can_sched_jobs, can_run_jobs = @can_run_jobs, can_capture_util = @can_capture_util, can_capture_labor = @can_capture_labor, can_track_oee = @can_track_oee, can_sched_shifts = @can_sched_shifts, can_store = @can_store, can_log_data = @can_log_data, can_ship = @can_ship, can_receive = @can_receive, spare1 = @spare1, spare2 = @spare2, last_edit_comment = @last_edit_comment, last_edit_by = @last_edit_by, last_edit_at = @last_edit_at, mod_id = @mod_id WHERE ent_id = @entId;

-- ent.delete
-- @entId int
DELETE FROM ent WHERE ent_id = @entId;

-- ent.countChildren
-- @entId int
SELECT COUNT(*) AS n FROM ent WHERE parent_ent_id = @entId;

-- job.countOnEnt
-- @entId int
SELECT COUNT(*) AS n FROM job WHERE target_ent_id = @entId OR run_ent_id = @entId;

-- shift_sched.countOnEnt
-- @entId int
SELECT COUNT(*) AS n FROM shift_sched WHERE ent_id = @entId;

-- grp_ent_link.groupsWithAccess
-- @entId int
SELECT grp_id FROM grp_ent_link WHERE ent_id = @entId AND accss <> 0 ORDER BY grp_id;

-- grp_ent_link.grant
-- @grpId int
-- @entId int
-- @lastEditBy nvarchar(40)
-- @lastEditAt datetime
INSERT INTO grp_ent_link (grp_id, ent_id, accss, last_edit_by, last_edit_at) VALUES (@grpId, @entId, 1, @lastEditBy, @lastEditAt);

-- grp_ent_link.deleteForEnt
-- @entId int
DELETE FROM grp_ent_link WHERE ent_id = @entId;

-- job_exec.deleteForEnt
-- @entId int
DELETE FROM job_exec WHERE ent_id = @entId;

-- item.byKey
-- @itemId nvarchar(40)
SELECT item_id, item_desc, item_class_id, uom_id, template, obsolete, purchased, sold, produced, num_decimals, must_complete_steps, must_prod__reqd_qty, auto_re_order, serial_no_lvl, inv_unique_by_job, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM item WHERE item_id = @itemId;

-- item.list()
-- @maxRows int (row limit)
SELECT TOP (@maxRows) item_id, item_desc, item_class_id, uom_id, template, obsolete, purchased, sold, produced, num_decimals, must_complete_steps, must_prod__reqd_qty, auto_re_order, serial_no_lvl, inv_unique_by_job, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM item ORDER BY item_id;

-- item.list(item_class_id,template,obsolete,purchased,sold,produced,must_complete_steps,must_prod__reqd_qty,auto_re_order,inv_unique_by_job)
-- @item_class_id nvarchar(40)
-- @template int
-- @obsolete int
-- @purchased int
-- @sold int
-- @produced int
-- @must_complete_steps int
-- @must_prod__reqd_qty int
-- @auto_re_order int
-- @inv_unique_by_job int
-- @maxRows int (row limit)
SELECT TOP (@maxRows) item_id, item_desc, item_class_id, uom_id, template, obsolete, purchased, sold, produced, num_decimals, must_complete_steps, must_prod__reqd_qty, auto_re_order, serial_no_lvl, inv_unique_by_job, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM item WHERE item_class_id = @item_class_id AND template = @template AND obsolete = @obsolete AND purchased = @purchased AND sold = @sold AND produced = @produced AND must_complete_steps = @must_complete_steps AND must_prod__reqd_qty = @must_prod__reqd_qty AND auto_re_order = @auto_re_order AND inv_unique_by_job = @inv_unique_by_job ORDER BY item_id;

-- item.insert
-- @item_id nvarchar(40)
-- @item_desc nvarchar(80)
-- @item_class_id nvarchar(40)
-- @uom_id int
-- @template int
-- @obsolete int
-- @purchased int
-- @sold int
-- @produced int
-- @must_complete_steps int
-- @must_prod__reqd_qty int
-- @auto_re_order int
-- @inv_unique_by_job int
-- @num_decimals int
-- @serial_no_lvl int
-- @spare1 nvarchar(80)
-- @spare2 nvarchar(80)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @mod_id nvarchar(36)
INSERT INTO item (item_id, item_desc, item_class_id, uom_id, template, obsolete, purchased, sold, produced, must_complete_steps, must_prod__reqd_qty, auto_re_order, inv_unique_by_job, num_decimals, serial_no_lvl, spare1, spare2, last_edit_comment, last_edit_by, last_edit_at, mod_id) VALUES (@item_id, @item_desc, @item_class_id, @uom_id, @template, @obsolete, @purchased, @sold, @produced, @must_complete_steps, @must_prod__reqd_qty, @auto_re_order, @inv_unique_by_job, @num_decimals, @serial_no_lvl, @spare1, @spare2, @last_edit_comment, @last_edit_by, @last_edit_at, @mod_id);

-- item.update(item_desc,item_class_id,uom_id,template,obsolete,purchased,sold,produced,must_complete_steps,must_prod__reqd_qty,auto_re_order,inv_unique_by_job,num_decimals,serial_no_lvl,spare1,spare2,last_edit_comment)
-- @item_id nvarchar(40)
-- @item_desc nvarchar(80)
-- @item_class_id nvarchar(40)
-- @uom_id int
-- @template int
-- @obsolete int
-- @purchased int
-- @sold int
-- @produced int
-- @must_complete_steps int
-- @must_prod__reqd_qty int
-- @auto_re_order int
-- @inv_unique_by_job int
-- @num_decimals int
-- @serial_no_lvl int
-- @spare1 nvarchar(80)
-- @spare2 nvarchar(80)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @mod_id nvarchar(36)
UPDATE item SET item_desc = @item_desc, item_class_id = @item_class_id, uom_id = @uom_id, template = @template, obsolete = @obsolete, purchased = @purchased, sold = @sold, produced = @produced, must_complete_steps = @must_complete_steps, must_prod__reqd_qty = @must_prod__reqd_qty, auto_re_order = @auto_re_order, inv_unique_by_job = @inv_unique_by_job, num_decimals = @num_decimals, serial_no_lvl = @serial_no_lvl, spare1 = @spare1, spare2 = @spare2, last_edit_comment = @last_edit_comment, last_edit_by = @last_edit_by, last_edit_at = @last_edit_at, mod_id = @mod_id WHERE item_id = @item_id;

-- item.delete
-- @itemId nvarchar(40)
DELETE FROM item WHERE item_id = @itemId;

-- item.countUse
-- @itemId nvarchar(40)
SELECT (SELECT COUNT(*) FROM wo WHERE item_id = @itemId) AS orders, (SELECT COUNT(*) FROM job WHERE item_id = @itemId) AS jobs;

-- wo.byKey
-- @woId nvarchar(40)
SELECT wo_id, wo_desc, item_id, process_id, req_qty, priority, cust_info, release_time_utc, due_time_utc, notes, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM wo WHERE wo_id = @woId;

-- wo.list()
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, wo_desc, item_id, process_id, req_qty, priority, cust_info, release_time_utc, due_time_utc, notes, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM wo ORDER BY wo_id;

-- wo.list(wo_id,item_id,process_id,priority,cust_info)
-- @wo_id nvarchar(40)
-- @item_id nvarchar(40)
-- @process_id nvarchar(40)
-- @priority int
-- @cust_info nvarchar(80)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, wo_desc, item_id, process_id, req_qty, priority, cust_info, release_time_utc, due_time_utc, notes, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM wo WHERE wo_id = @wo_id AND item_id = @item_id AND process_id = @process_id AND priority = @priority AND cust_info = @cust_info ORDER BY wo_id;

-- wo.insert
-- @wo_id nvarchar(40)
-- @wo_desc nvarchar(80)
-- @item_id nvarchar(40)
-- @process_id nvarchar(40)
-- @req_qty float
-- @priority int
-- @cust_info nvarchar(80)
-- @release_time_utc datetime
-- @due_time_utc datetime
-- @notes nvarchar(1000)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @mod_id nvarchar(36)
INSERT INTO wo (wo_id, wo_desc, item_id, process_id, req_qty, priority, cust_info, release_time_utc, due_time_utc, notes, last_edit_comment, last_edit_by, last_edit_at, mod_id) VALUES (@wo_id, @wo_desc, @item_id, @process_id, @req_qty, @priority, @cust_info, @release_time_utc, @due_time_utc, @notes, @last_edit_comment, @last_edit_by, @last_edit_at, @mod_id);

-- item.exists
-- @itemId nvarchar(40)
SELECT item_id FROM item WHERE item_id = @itemId;

-- job.byKey
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
SELECT wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo;

-- job.stateByKey
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
SELECT wo_id, oper_id, seq_no, state_cd, target_ent_id, run_ent_id, qty_prod FROM job WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo;

-- job.list()
-- @userId nvarchar(40)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job j WHERE (COALESCE(j.run_ent_id, j.target_ent_id) IS NULL OR EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = COALESCE(j.run_ent_id, j.target_ent_id) AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0)) ORDER BY j.wo_id, j.oper_id, j.seq_no;

-- job.list(wo_id,oper_id,seq_no,state_cd,run_ent_id,target_ent_id,item_id)
-- @userId nvarchar(40)
-- @wo_id nvarchar(40)
-- @oper_id nvarchar(40)
-- @seq_no int
-- @state_cd int
-- @run_ent_id int
-- @target_ent_id int
-- @item_id nvarchar(40)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job j WHERE (COALESCE(j.run_ent_id, j.target_ent_id) IS NULL OR EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = COALESCE(j.run_ent_id, j.target_ent_id) AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0)) AND j.wo_id = @wo_id AND j.oper_id = @oper_id AND j.seq_no = @seq_no AND j.state_cd = @state_cd AND j.run_ent_id = @run_ent_id AND j.target_ent_id = @target_ent_id AND j.item_id = @item_id ORDER BY j.wo_id, j.oper_id, j.seq_no;

-- job.list@token()
-- @groups nvarchar(max)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job j WHERE (COALESCE(j.run_ent_id, j.target_ent_id) IS NULL OR EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = COALESCE(j.run_ent_id, j.target_ent_id) AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0)) ORDER BY j.wo_id, j.oper_id, j.seq_no;

-- job.list@token(wo_id,oper_id,seq_no,state_cd,run_ent_id,target_ent_id,item_id)
-- @groups nvarchar(max)
-- @wo_id nvarchar(40)
-- @oper_id nvarchar(40)
-- @seq_no int
-- @state_cd int
-- @run_ent_id int
-- @target_ent_id int
-- @item_id nvarchar(40)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job j WHERE (COALESCE(j.run_ent_id, j.target_ent_id) IS NULL OR EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = COALESCE(j.run_ent_id, j.target_ent_id) AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0)) AND j.wo_id = @wo_id AND j.oper_id = @oper_id AND j.seq_no = @seq_no AND j.state_cd = @state_cd AND j.run_ent_id = @run_ent_id AND j.target_ent_id = @target_ent_id AND j.item_id = @item_id ORDER BY j.wo_id, j.oper_id, j.seq_no;

-- job.moveState
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
-- @fromState int
-- @toState int
-- @comment nvarchar(1000)
-- @runEntId int
-- @actStart datetime
-- @actFinish datetime
-- @lastEditBy nvarchar(40)
-- @lastEditAt datetime
DECLARE @changed TABLE (n int); UPDATE job SET state_cd = @toState, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt, last_edit_comment = COALESCE(@comment, last_edit_comment), run_ent_id = COALESCE(@runEntId, run_ent_id), act_start_time_utc = COALESCE(act_start_time_utc, @actStart), act_finish_time_utc = COALESCE(@actFinish, act_finish_time_utc) OUTPUT 1 INTO @changed WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo AND state_cd = @fromState; IF EXISTS (SELECT 1 FROM @changed) SELECT wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo;

-- job.addQtyProd
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
-- @qty float
-- @onEntId int
-- @lastEditBy nvarchar(40)
-- @lastEditAt datetime
DECLARE @changed TABLE (n int); UPDATE job SET qty_prod = qty_prod + @qty, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt OUTPUT 1 INTO @changed WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo AND state_cd = 3 AND (@onEntId IS NULL OR run_ent_id = @onEntId); IF EXISTS (SELECT 1 FROM @changed) SELECT wo_id, oper_id, seq_no, job_desc, item_id, state_cd, job_priority, req_qty, qty_prod, qty_reject, target_ent_id, run_ent_id, target_sched_start_time_utc, act_start_time_utc, act_finish_time_utc, spare1, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM job WHERE wo_id = @woId AND oper_id = @operId AND seq_no = @seqNo;

-- job_exec.ofEnt
-- @entId int
SELECT ent_id, job_pos, cur_wo_id, cur_oper_id, cur_seq_no FROM job_exec WHERE ent_id = @entId ORDER BY job_pos;

-- job_exec.running
-- @entId int
-- @jobPos int
SELECT ent_id, job_pos, cur_wo_id, cur_oper_id, cur_seq_no FROM job_exec WHERE ent_id = @entId AND cur_wo_id IS NOT NULL AND (@jobPos IS NULL OR job_pos = @jobPos) ORDER BY job_pos;

-- job_exec.claim
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
-- @entId int
-- @jobPos int
-- @userId nvarchar(40)
-- @lastEditAt datetime
UPDATE job_exec SET cur_wo_id = @woId, cur_oper_id = @operId, cur_seq_no = @seqNo, cur_user_id = @userId, last_edit_by = @userId, last_edit_at = @lastEditAt WHERE ent_id = @entId AND job_pos = @jobPos AND cur_wo_id IS NULL;

-- job_exec.release
-- @woId nvarchar(40)
-- @operId nvarchar(40)
-- @seqNo int
-- @userId nvarchar(40)
-- @lastEditAt datetime
UPDATE job_exec SET cur_wo_id = NULL, cur_oper_id = NULL, cur_seq_no = NULL, cur_user_id = NULL, last_edit_by = @userId, last_edit_at = @lastEditAt WHERE cur_wo_id = @woId AND cur_oper_id = @operId AND cur_seq_no = @seqNo;

-- job_history.insert
-- @wo_id nvarchar(40)
-- @oper_id nvarchar(40)
-- @seq_no int
-- @ent_id int
-- @state_cd_before int
-- @state_cd_after int
-- @event nvarchar(40)
-- @qty float
-- @comment nvarchar(1000)
-- @user_id nvarchar(40)
-- @event_at datetime
DECLARE @inserted TABLE (id int); INSERT INTO job_history (wo_id, oper_id, seq_no, ent_id, state_cd_before, state_cd_after, event, qty, comment, user_id, event_at) OUTPUT INSERTED.job_history_id INTO @inserted VALUES (@wo_id, @oper_id, @seq_no, @ent_id, @state_cd_before, @state_cd_after, @event, @qty, @comment, @user_id, @event_at); SELECT id FROM @inserted;

-- ent.byName
-- @entName nvarchar(40)
SELECT ent_id, ent_name, can_run_jobs FROM ent WHERE ent_name = @entName;

-- ent.forJobs
-- @entId int
SELECT ent_id, ent_name, can_run_jobs FROM ent WHERE ent_id = @entId;

-- shift_sched.byKey
-- @shiftSchedId int
SELECT shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at FROM shift_sched WHERE shift_sched_id = @shiftSchedId;

-- shift_sched.list()
-- @userId nvarchar(40)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at FROM shift_sched s WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = s.ent_id AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0) ORDER BY s.shift_sched_id;

-- shift_sched.list(ent_id,pattern_id)
-- @userId nvarchar(40)
-- @ent_id int
-- @pattern_id int
-- @maxRows int (row limit)
SELECT TOP (@maxRows) shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at FROM shift_sched s WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = s.ent_id AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0) AND s.ent_id = @ent_id AND s.pattern_id = @pattern_id ORDER BY s.shift_sched_id;

-- shift_sched.list@token()
-- @groups nvarchar(max)
-- @maxRows int (row limit)
SELECT TOP (@maxRows) shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at FROM shift_sched s WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = s.ent_id AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0) ORDER BY s.shift_sched_id;

-- shift_sched.list@token(ent_id,pattern_id)
-- @groups nvarchar(max)
-- @ent_id int
-- @pattern_id int
-- @maxRows int (row limit)
SELECT TOP (@maxRows) shift_sched_id, ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at FROM shift_sched s WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = s.ent_id AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0) AND s.ent_id = @ent_id AND s.pattern_id = @pattern_id ORDER BY s.shift_sched_id;

-- shift_sched.shiftIdTaken
-- @entId int
-- @shiftId int
-- @exceptId int
SELECT shift_sched_id FROM shift_sched WHERE ent_id = @entId AND shift_id = @shiftId AND shift_sched_id <> @exceptId;

-- shift_sched.insert
-- @ent_id int
-- @pattern_id int
-- @shift_id int
-- @shift_name nvarchar(40)
-- @start_offset_min int
-- @duration_min int
-- @days_mask int
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
DECLARE @inserted TABLE (id int); INSERT INTO shift_sched (ent_id, pattern_id, shift_id, shift_name, start_offset_min, duration_min, days_mask, last_edit_comment, last_edit_by, last_edit_at) OUTPUT INSERTED.shift_sched_id INTO @inserted VALUES (@ent_id, @pattern_id, @shift_id, @shift_name, @start_offset_min, @duration_min, @days_mask, @last_edit_comment, @last_edit_by, @last_edit_at); SELECT id FROM @inserted;

-- shift_sched.update
-- @ent_id int
-- @pattern_id int
-- @shift_id int
-- @shift_name nvarchar(40)
-- @start_offset_min int
-- @duration_min int
-- @days_mask int
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
-- @shiftSchedId int
UPDATE shift_sched SET ent_id = @ent_id, pattern_id = @pattern_id, shift_id = @shift_id, shift_name = @shift_name, start_offset_min = @start_offset_min, duration_min = @duration_min, days_mask = @days_mask, last_edit_comment = @last_edit_comment, last_edit_by = @last_edit_by, last_edit_at = @last_edit_at WHERE shift_sched_id = @shiftSchedId;

-- shift_sched.delete
-- @shiftSchedId int
DELETE FROM shift_sched WHERE shift_sched_id = @shiftSchedId;

-- ent.forShifts
-- @entId int
SELECT ent_id, ent_name, can_sched_shifts FROM ent WHERE ent_id = @entId;

-- shift_pattern.byKey
-- @patternId int
SELECT pattern_id, pattern_name, pattern_desc, last_edit_comment, last_edit_by, last_edit_at FROM shift_pattern WHERE pattern_id = @patternId;

-- shift_pattern.list
-- @maxRows int (row limit)
SELECT TOP (@maxRows) pattern_id, pattern_name, pattern_desc, last_edit_comment, last_edit_by, last_edit_at FROM shift_pattern ORDER BY pattern_id;

-- shift_pattern.nameTaken
-- @patternName nvarchar(40)
-- @exceptId int
SELECT pattern_id FROM shift_pattern WHERE pattern_name = @patternName AND pattern_id <> @exceptId;

-- shift_pattern.nextId
SELECT COALESCE(MAX(pattern_id), 0) + 1 AS next_id FROM shift_pattern;

-- shift_pattern.insert
-- @pattern_id int
-- @pattern_name nvarchar(40)
-- @pattern_desc nvarchar(255)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
INSERT INTO shift_pattern (pattern_id, pattern_name, pattern_desc, last_edit_comment, last_edit_by, last_edit_at) VALUES (@pattern_id, @pattern_name, @pattern_desc, @last_edit_comment, @last_edit_by, @last_edit_at);

-- shift_pattern.update
-- @pattern_id int
-- @pattern_name nvarchar(40)
-- @pattern_desc nvarchar(255)
-- @last_edit_comment nvarchar(1000)
-- @last_edit_by nvarchar(40)
-- @last_edit_at datetime
UPDATE shift_pattern SET pattern_name = @pattern_name, pattern_desc = @pattern_desc, last_edit_comment = @last_edit_comment, last_edit_by = @last_edit_by, last_edit_at = @last_edit_at WHERE pattern_id = @pattern_id;
