import { RefreshCw } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/** "Pair again": callers show it only to roles with "pairing:create". The page warns first. */
export function PairAgainLink({ terminalRef, paired }: { terminalRef: number; paired: boolean }) {
  return (
    <Button asChild variant={paired ? "secondary" : "primary"}>
      <Link href={`/terminals/${terminalRef}/pair-again`}>
        <RefreshCw aria-hidden /> Pair again
      </Link>
    </Button>
  );
}
