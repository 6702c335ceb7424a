import { Badge } from "@/components/ui/badge";
import type { DeliveryVerdict } from "@/lib/domain";

export const VERDICT_WORDS: Record<DeliveryVerdict, string> = {
  accepted: "Accepted",
  bad_signature: "Bad signature",
  no_secret: "No webhook secret",
  unparsed: "Not readable",
  gone: "Pairing ended",
  unknown_pairing: "Unknown URL",
  too_large: "Too large",
};

export function VerdictBadge({ verdict }: { verdict: DeliveryVerdict }) {
  return (
    <Badge tone={verdict === "accepted" ? "success" : verdict === "unparsed" ? "warning" : "danger"} data-testid="delivery-verdict" data-verdict={verdict}>
      {VERDICT_WORDS[verdict]}
    </Badge>
  );
}
