/** Injection token of the module options. */
export const MES_WEB_API_CLIENT_OPTIONS = 'MES_WEB_API_CLIENT:OPTIONS';
