/**
 * What a pairing's "Check" line says. It is the warning its pair attempt left (lib/pairing/
 * persist.ts): Pair again answered for another terminal than the one meant, or a register could
 * not be routed. When Pair again answered for another terminal, the pairing took the name typed
 * for the terminal meant; once it is renamed, that sentence is no longer true and is left out.
 */

type CheckedPairing = {
  name: string;
  /** The attempt's warning, as persisted. */
  warning: string | null;
  /** Pair again answered for this terminal, not the one meant. */
  meantAnotherTerminal: boolean;
  /** The name typed in the pair form (the attempt's). */
  pairedAs: string | null;
};

/** The sentence persistPairing writes about the name, up to the next one. */
const NAME_SENTENCE = /It took the name typed for .*?\. (?=If this was a mistake)/;

/** The pairing still bears the name typed for the terminal meant: ask for this terminal's. */
export function hasOtherTerminalsName(p: CheckedPairing): boolean {
  return p.meantAnotherTerminal && p.pairedAs !== null && p.name === p.pairedAs;
}

/** The Check line's text, or null when the pairing needs no second look. */
export function pairingCheck(p: CheckedPairing): string | null {
  if (p.warning === null || p.warning === "") return null;
  if (!p.meantAnotherTerminal || hasOtherTerminalsName(p)) return p.warning;
  return p.warning.replace(NAME_SENTENCE, "");
}
