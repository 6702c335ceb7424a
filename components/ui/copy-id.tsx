/**
 * A copy button for long lists (a register ID on every row): plain markup, no client component
 * per row. The button carries its value in `data-copy`; one <CopyIdScope> around the list copies
 * on click and says "Copied" beside the button (and to screen readers through one live region).
 * Its icon and its "Copied" are drawn by CSS (`.copy-id` in app/globals.css), so a row costs a few
 * dozen bytes rather than a component, an SVG and a live region of its own. A server component.
 */
export function CopyId({ value, label }: { value: string; label: string }) {
  return <button type="button" className="copy-id" data-copy={value} aria-label={`Copy ${label}`} />;
}
