import { Badge } from "@/components/ui/badge";
import type { TransactionStatus } from "@/lib/domain";

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

export const STATUS_WORDS: Record<TransactionStatus, string> = {
  INITIATED: "Initiated",
  IN_PROGRESS: "In progress",
  SUCCESS: "Success",
  CANCELED: "Cancelled",
  DECLINED: "Declined",
  REVERTED: "Reverted",
  EXPIRED: "Expired",
  FAILED: "Failed",
};

export const KIND_WORDS = {
  charge: "Charge",
  preauth: "Preauthorisation",
  refund: "Refund",
  independent_refund: "Independent refund",
} as const;

export const SOURCE_WORDS = { webhook: "webhook", poll: "poll", operation: "operation" } as const;

export function TransactionStatusBadge({ status, testId = "transaction-status" }: { status: TransactionStatus; testId?: string }) {
  return (
    <Badge tone={TONE[status]} data-testid={testId} data-status={status}>
      {STATUS_WORDS[status]}
    </Badge>
  );
}
