/** One `system_attr` row. */
export interface SystemAttribute {
  attrId: number;
  attrDesc: string;
  attrValue: string | null;
  grpId: number | null;
  attrSeq: number | null;
  editType: number | null;
  lastEditBy: string | null;
  lastEditAt: Date | null;
}
