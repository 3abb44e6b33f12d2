/** Revisions are stored from 0; people read them the way documents are numbered, from 第1版 / revision 1 (issue 23). */
export function revisionOrdinal(stored: number): number {
  return stored + 1;
}
