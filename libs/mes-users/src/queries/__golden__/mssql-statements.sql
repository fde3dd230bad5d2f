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
SELECT gpl.priv_id, MAX(gpl.priv_value) AS priv_value FROM grp_priv_link gpl WHERE gpl.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) GROUP BY gpl.priv_id;

-- grp_priv_link.privilegesOf@token
-- @groups nvarchar(max)
SELECT gpl.priv_id, MAX(gpl.priv_value) AS priv_value FROM grp_priv_link gpl WHERE gpl.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) GROUP BY gpl.priv_id;

-- grp_ent_link.accessibleBy
-- @userId nvarchar(40)
SELECT DISTINCT gel.ent_id FROM grp_ent_link gel WHERE gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0;

-- grp_ent_link.accessibleBy@token
-- @groups nvarchar(max)
SELECT DISTINCT gel.ent_id FROM grp_ent_link gel WHERE gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0;

-- grp_ent_link.canAccess
-- @userId nvarchar(40)
-- @entId int
SELECT 1 AS ok WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = @entId AND gel.grp_id IN (SELECT ugl.grp_id FROM user_grp_link ugl WHERE ugl.user_id = @userId) AND gel.accss <> 0);

-- grp_ent_link.canAccess@token
-- @groups nvarchar(max)
-- @entId int
SELECT 1 AS ok WHERE EXISTS (SELECT 1 FROM grp_ent_link gel WHERE gel.ent_id = @entId AND gel.grp_id IN (SELECT CAST(value AS int) FROM OPENJSON(@groups)) AND gel.accss <> 0);

-- grp_name.bySids
-- @sids nvarchar(max)
SELECT grp_id FROM grp_name WHERE auth_method = 2 AND sid IN (SELECT CAST(value AS nvarchar(68)) FROM OPENJSON(@sids)) ORDER BY grp_id;

-- user_name.insertGroupUser
-- @userId nvarchar(40)
-- @lastEditComment nvarchar(1000)
-- @lastEditAt datetime
-- @modId nvarchar(36)
INSERT INTO user_name (user_id, active, auth_method, last_edit_comment, last_edit_by, last_edit_at, mod_id) SELECT @userId, 1, 2, @lastEditComment, @userId, @lastEditAt, @modId WHERE NOT EXISTS (SELECT 1 FROM user_name WITH (UPDLOCK, HOLDLOCK) WHERE user_id = @userId);

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
