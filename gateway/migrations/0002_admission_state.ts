import { Migration } from '@mikro-orm/migrations';

/** Operator admission control (gateway/admission.ts): one row, shared by every replica. */
export class AdmissionState extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table admission_state (
      id smallint primary key check (id = 1),
      paused boolean not null,
      changed_at timestamptz not null,
      changed_by text,
      reason text
    )`);
  }
}
