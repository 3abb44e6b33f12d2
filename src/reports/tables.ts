// The reports area's own table (migration 005_reports), added to the one Database interface by declaration merging,
// so src/db/schema.ts (shared by every area) needs no edit.
export interface QuestionnaireImportTable {
  id: string;
  organization_id: number;
  audit_id: number;
  user_id: number;
  file_name: string;
  changes_json: string;
  created_at: string;
}

declare module '../db/schema.js' {
  interface Database {
    questionnaire_import: QuestionnaireImportTable;
  }
}
