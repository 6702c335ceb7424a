import { Badge } from "@/components/ui/badge";
import type { DeliveryVerdict } from "@/lib/domain";
import { DELIVERY_VERDICT_LABELS } from "@/lib/labels";

export function VerdictBadge({ verdict }: { verdict: DeliveryVerdict }) {
  return (
    <Badge tone={verdict === "accepted" ? "success" : verdict === "unparsed" ? "warning" : "danger"} data-testid="delivery-verdict" data-verdict={verdict}>
      {DELIVERY_VERDICT_LABELS[verdict]}
    </Badge>
  );
}
