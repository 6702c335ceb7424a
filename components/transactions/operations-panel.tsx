/**
 * The operations a user may run on a transaction now (cancel, refund, revert, preauth
 * completion), shown on the transaction's page. A server component: it checks the session, the
 * role and the transaction's state itself.
 * TODO(issue 8): filled in by the operations work; renders nothing until then.
 */
export async function TransactionOperationsPanel({ transactionId }: { transactionId: number }) {
  void transactionId;
  return null;
}
