import type { DbContext, MesCaller } from '@mes-web-api/common';

/**
 * Who acts and where: the acting MES user (stamped on every write), the caller whose groups
 * decide entity access (`principal`: its token groups in OS Group mode, else its user id), and
 * the database as the call sees it (committed data, or the MES transaction it runs in). An MES
 * method's `MesCall` is one. The services assume the caller's privilege for the operation was
 * checked (the MES method registry does that before the handler runs).
 */
export interface PlantContext extends DbContext {
  readonly userId: string;
  readonly principal: MesCaller;
}
