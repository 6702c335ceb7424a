import type { TerminalListRow } from "./terminal-queries";
import type { CsvColumn } from "../lists/csv";

/**
 * The terminal list's CSV columns, what a spreadsheet user expects: the merchant only for staff
 * (a merchant's people export their own terminals), the status in words, the active pairing, and
 * how many registers route to the terminal.
 */
export function terminalCsvColumns({ staff }: { staff: boolean }): CsvColumn<TerminalListRow>[] {
  return [
    { header: "terminal_id", value: (r) => r.terminalId },
    ...(staff ? [{ header: "merchant", value: (r: TerminalListRow) => r.merchantName }] : []),
    { header: "environment", value: (r) => r.environment },
    { header: "status", value: (r) => (r.activePairing ? "paired" : "unpaired") },
    { header: "active_pairing", value: (r) => r.activePairing?.name },
    { header: "pay_connect_id", value: (r) => r.activePairing?.payConnectId },
    { header: "paired_at", value: (r) => r.activePairing?.pairedAt },
    { header: "paired_by", value: (r) => r.activePairing?.pairedByEmail },
    { header: "registers_routed", value: (r) => r.registerCount },
  ];
}
