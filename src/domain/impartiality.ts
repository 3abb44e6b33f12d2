// 9.2.2 c: auditors are selected so that the audit is objective and impartial — nobody audits a process they own.
export interface OwnedProcess {
  id: number;
  name: string;
  ownerUserId: number | null;
  ownerName: string;
}

export type ImpartialityResult = { ok: true } | { ok: false; process: string; owner: string };

export function checkImpartiality(auditorId: number, process: OwnedProcess): ImpartialityResult {
  if (process.ownerUserId !== null && process.ownerUserId === auditorId) {
    return { ok: false, process: process.name, owner: process.ownerName };
  }
  return { ok: true };
}
