import { Badge } from "@/components/ui/badge";
import type { TransactionStatus } from "@/lib/domain";
import { TRANSACTION_STATUS_LABELS } from "@/lib/labels";

const TONE: Record<TransactionStatus, "neutral" | "success" | "warning" | "danger" | "info"> = {
  INITIATED: "info",
  IN_PROGRESS: "info",
  SUCCESS: "success",
  CANCELED: "neutral",
  DECLINED: "danger",
  REVERTED: "warning",
  EXPIRED: "neutral",
  FAILED: "danger",
};

export const SOURCE_WORDS = { webhook: "webhook", poll: "poll", operation: "operation" } as const;

export function TransactionStatusBadge({ status, testId = "transaction-status" }: { status: TransactionStatus; testId?: string }) {
  return (
    <Badge tone={TONE[status]} data-testid={testId} data-status={status}>
      {TRANSACTION_STATUS_LABELS[status]}
    </Badge>
  );
}
