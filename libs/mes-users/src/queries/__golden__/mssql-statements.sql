-- user_name.byId
-- @userId nvarchar(40)
SELECT user_id, user_desc, active, email_address, lang_id, auth_method, last_login, spare1, spare2, spare3, spare4, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM user_name WHERE user_id = @userId;

-- user_name.list
-- @maxRows int (row limit)
SELECT TOP (@maxRows) user_id, user_desc, active, email_address, lang_id, auth_method, last_login, spare1, spare2, spare3, spare4, last_edit_comment, last_edit_by, last_edit_at, mod_id FROM user_name ORDER BY user_id;

-- user_grp_link.groupsOf
-- @userId nvarchar(40)
SELECT grp_id FROM user_grp_link WHERE user_id = @userId ORDER BY grp_id;

-- grp_priv_link.privilegesOf
-- @userId nvarchar(40)
SELECT gpl.priv_id, MAX(gpl.priv_value) AS priv_value FROM grp_priv_link gpl INNER JOIN user_grp_link ugl ON ugl.grp_id = gpl.grp_id WHERE ugl.user_id = @userId GROUP BY gpl.priv_id;

-- grp_ent_link.accessibleBy
-- @userId nvarchar(40)
SELECT DISTINCT gel.ent_id FROM grp_ent_link gel INNER JOIN user_grp_link ugl ON ugl.grp_id = gel.grp_id WHERE ugl.user_id = @userId AND gel.accss <> 0;

-- grp_ent_link.canAccess
-- @userId nvarchar(40)
-- @entId int
SELECT 1 AS ok WHERE EXISTS ( SELECT 1 FROM grp_ent_link gel INNER JOIN user_grp_link ugl ON ugl.grp_id = gel.grp_id WHERE ugl.user_id = @userId AND gel.ent_id = @entId AND gel.accss <> 0);

-- system_attr.byId
-- @attrId int
SELECT attr_id, attr_desc, attr_value, grp_id, attr_seq, edit_type, last_edit_by, last_edit_at FROM system_attr WHERE attr_id = @attrId;

-- system_attr.list
SELECT attr_id, attr_desc, attr_value, grp_id, attr_seq, edit_type, last_edit_by, last_edit_at FROM system_attr ORDER BY attr_id;

-- system_attr.set
-- @attrId int
-- @value nvarchar(80)
-- @lastEditBy nvarchar(40)
-- @lastEditAt datetime
UPDATE system_attr SET attr_value = @value, last_edit_by = @lastEditBy, last_edit_at = @lastEditAt WHERE attr_id = @attrId;
