"use server";

/**
 * The terminal screen's buttons. Public like the page (it emulates a device), and refused
 * unless the simulator is enabled.
 */
import { refresh } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { clearFaults, FAULT_KINDS, setFault } from "@/lib/simulator/faults";
import { getSimulator } from "@/lib/simulator/server";
import { createTerminal, generateOtp, TERMINAL_ID_PATTERN, unpairOnTerminal } from "@/lib/simulator/terminals";

function simulator() {
  const sim = getSimulator();
  if (!sim) notFound();
  return sim;
}

const labelSchema = z.string().trim().max(60).optional();
const terminalIdSchema = z.string().regex(TERMINAL_ID_PATTERN);
const faultKindSchema = z.enum(FAULT_KINDS);

export async function addTerminalAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const label = labelSchema.safeParse(formData.get("label") ?? undefined);
  const terminal = createTerminal(sim, { label: label.success ? label.data : undefined });
  redirect(`/simulator?terminal=${encodeURIComponent(terminal.terminalId)}`);
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

export async function setFaultAction(formData: FormData): Promise<void> {
  const sim = simulator();
  const kind = faultKindSchema.safeParse(formData.get("kind"));
  if (kind.success) setFault(sim, { kind: kind.data });
  refresh();
}

export async function clearFaultsAction(): Promise<void> {
  clearFaults(simulator());
  refresh();
}
