/** The options of a "Merchant" `<select>`: a disabled placeholder, then each merchant by name (value: its id). */
export function MerchantOptions({ options }: { options: readonly { id: number; name: string }[] }) {
  return (
    <>
      <option value="" disabled>
        Choose a merchant
      </option>
      {options.map((m) => (
        <option key={m.id} value={String(m.id)}>
          {m.name}
        </option>
      ))}
    </>
  );
}
