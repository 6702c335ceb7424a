/** What pairing this terminal again does, said before the form (Pay-Connect keeps one pairing per terminal). */
export function pairAgainWarning(terminalId: string, current: { name: string } | null, registerCount: number): string {
  if (!current) {
    return `Terminal ${terminalId} is not paired now: pairing it again makes a new pairing with a new OTP from the terminal, in the same merchant and environment.`;
  }
  const registers =
    registerCount === 0
      ? `no register routes to ${terminalId} now`
      : registerCount === 1
        ? `the 1 register that routes to ${terminalId} goes on through the new pairing`
        : `the ${registerCount} registers that route to ${terminalId} go on through the new pairing`;
  return (
    `Pay-Connect keeps one pairing per terminal: pairing ${terminalId} again replaces its current pairing “${current.name}”. ` +
    `Its credentials are destroyed; no unpair call is made; ${registers}.`
  );
}
