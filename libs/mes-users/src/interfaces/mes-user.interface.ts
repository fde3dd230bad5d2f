/** An MES user as the API sees it. Never carries any credential. */
export interface MesUser {
  userId: string;
  userDesc: string | null;
  active: boolean;
  emailAddress: string | null;
  langId: number | null;
  /** 0 MES native, 1 Windows AD user, 2 Windows AD group. */
  authMethod: number;
}
