import { Plus } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/** The "Pair terminal" call to action; callers show it only to roles with "pairing:create". */
export function PairTerminalLink() {
  return (
    <Button asChild>
      <Link href="/terminals/pair">
        <Plus aria-hidden /> Pair terminal
      </Link>
    </Button>
  );
}
