/** A count with its noun in the right number: "1 field", "3 fields", "0 bots". */
export function countOf(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}
