"use client";

import * as React from "react";
import { Dialog, DialogContent, DialogTrigger } from "./dialog";

/**
 * A button that opens a dialog holding one action's form. Each opening starts clean: the form is
 * mounted afresh (a refusal from an earlier try is not shown again, fields hold the saved values,
 * a new request key is used). `children` draws the form and gets `close`, for the form to call
 * once its action succeeded.
 */
export function ActionDialog({
  trigger,
  title,
  description,
  children,
}: {
  /** The button that opens it (rendered as the dialog's trigger). */
  trigger: React.ReactElement;
  title: string;
  description?: React.ReactNode;
  children: (close: () => void) => React.ReactNode;
}) {
  const [open, setOpen] = React.useState(false);
  // Bumped on each opening: the form's key, so that nothing of the last opening survives.
  const [opening, setOpening] = React.useState(0);
  const close = React.useCallback(() => setOpen(false), []);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setOpening((n) => n + 1);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} description={description}>
        <React.Fragment key={opening}>{children(close)}</React.Fragment>
      </DialogContent>
    </Dialog>
  );
}
