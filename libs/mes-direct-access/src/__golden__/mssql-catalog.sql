-- direct_access.catalog
-- @schema nvarchar(128)
-- @name nvarchar(128)
SELECT s.name AS schema_name, p.name AS proc_name, pa.name AS param_name, t.name AS type_name, pa.max_length, pa.precision, pa.scale, pa.is_output FROM sys.procedures p JOIN sys.schemas s ON s.schema_id = p.schema_id LEFT JOIN sys.parameters pa ON pa.object_id = p.object_id LEFT JOIN sys.types t ON t.user_type_id = pa.user_type_id WHERE p.is_ms_shipped = 0 AND s.name <> 'sys' AND s.name = @schema AND p.name = @name ORDER BY pa.parameter_id;
