/** The app's services object handed to every method handler. */
export const MES_METHOD_SERVICES = 'MES_METHODS:SERVICES';
/** The privilege check (`MesPrivilegeCheck`) the executor runs before a handler. */
export const MES_PRIVILEGE_CHECK = 'MES_METHODS:PRIVILEGE_CHECK';
/** JSON answers. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
