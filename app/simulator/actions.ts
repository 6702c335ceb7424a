"use server";

/**
 * The terminal screens' buttons. Public like the page (it emulates devices), and refused
 * unless the simulator is enabled.
 */
import { refresh } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { clearFaults, FAULT_KINDS, setFault, UnknownSimulatedTerminalError } from "@/lib/simulator/faults";
import { getSimulator } from "@/lib/simulator/server";
import { createTerminal, generateOtp, TERMINAL_ID_PATTERN, unpairOnTerminal } from "@/lib/simulator/terminals";
import { simulatorHref } from "@/lib/simulator/screens";
import { getTransaction } from "@/lib/simulator/payment-rows";
import { moveTransaction } from "@/lib/simulator/payments";
import { setAutoApprove } from "@/lib/simulator/terminal-settings";

function simulator() {
  const sim = getSimulator();
  if (!sim) notFound();
  return sim;
}

const labelSchema = z.string().trim().max(60).optional();
const terminalIdSchema = z.string().regex(TERMINAL_ID_PATTERN);
const faultKindSchema = z.enum(FAULT_KINDS);

/**
 * Adds a terminal and opens its screen beside the screens named in the page's address (the
 * `shown` fields); from the bare /simulator page, alone.
 */
export async function addTerminalAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const label = labelSchema.safeParse(formData.get("label") ?? undefined);
  const terminal = createTerminal(sim, { label: label.success ? label.data : undefined });
  const shown = formData
    .getAll("shown")
    .flatMap((v) => (typeof v === "string" && TERMINAL_ID_PATTERN.test(v) ? [v] : []));
  redirect(simulatorHref([...shown, terminal.terminalId]));
}

export async function generateOtpAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  if (terminalId.success) generateOtp(sim, terminalId.data);
  refresh();
}

export async function unpairOnTerminalAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  if (terminalId.success) unpairOnTerminal(sim, terminalId.data);
  refresh();
}

/** Arms a fault for the next call of one terminal (its screen's switches). */
export async function setFaultAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const kind = faultKindSchema.safeParse(formData.get("kind"));
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  if (kind.success && terminalId.success) {
    try {
      setFault(sim, { kind: kind.data, terminal_id: terminalId.data });
    } catch (err) {
      if (!(err instanceof UnknownSimulatedTerminalError)) throw err;
    }
  }
  refresh();
}

/** Clears one terminal's faults, or, without a terminal, every fault. */
export async function clearFaultsAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  clearFaults(sim, terminalId.success ? terminalId.data : undefined);
  refresh();
}

const MOVES = { approve: "SUCCESS", decline: "DECLINED", cancel: "CANCELED" } as const;

/** The person at the terminal approves, declines or cancels an open payment. */
export async function movePaymentAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  const move = z.enum(["approve", "decline", "cancel"]).safeParse(formData.get("move"));
  const transactionId = z.string().min(1).max(200).safeParse(formData.get("transactionId"));
  if (terminalId.success && move.success && transactionId.success) {
    const t = getTransaction(sim, transactionId.data);
    if (t && t.terminal_id === terminalId.data) moveTransaction(sim, t.transaction_id, MOVES[move.data]);
  }
  refresh();
}

export async function setAutoApproveAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const terminalId = terminalIdSchema.safeParse(formData.get("terminalId"));
  if (terminalId.success) setAutoApprove(sim, terminalId.data, formData.get("on") === "on");
  refresh();
}
