"use client";

import { useEffect, useMemo, useState } from "react";
import { Field } from "@/components/ui/field";
import { controlClass, Input, Select } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/auth/safe-action";
import { cn } from "@/lib/utils";

/** The zones grouped by region (the part before the first "/"); UTC and the like under "Other". */
function groupTimeZones(zones: readonly string[]): { region: string; zones: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const zone of zones) {
    const slash = zone.indexOf("/");
    const region = slash > 0 && zone.slice(0, slash) !== "Etc" ? zone.slice(0, slash) : "Other";
    const list = groups.get(region) ?? [];
    list.push(zone);
    groups.set(region, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "Other" ? 1 : b === "Other" ? -1 : a.localeCompare(b)))
    .map(([region, list]) => ({ region, zones: list }));
}

/**
 * A location's name, address and time zone: the add form's and the edit dialog's fields. The
 * time zone is a native select grouped by region (typing its first letters jumps to it). A new
 * location starts on the browser's own time zone when the server knows it, else UTC.
 */
export function LocationFields({
  idPrefix,
  errors,
  timeZones,
  defaults,
}: {
  idPrefix: string;
  errors: FieldErrors;
  timeZones: readonly string[];
  defaults?: { name: string; address: string; timeZone: string };
}) {
  const groups = useMemo(() => groupTimeZones(timeZones), [timeZones]);
  const [timeZone, setTimeZone] = useState(defaults?.timeZone ?? "UTC");
  useEffect(() => {
    if (defaults) return;
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // The browser's zone is only known here, after hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (own && timeZones.includes(own)) setTimeZone(own);
  }, [defaults, timeZones]);
  return (
    <>
      <Field id={`${idPrefix}-name`} label="Name" hint="As the merchant's people know the shop. Unique among the merchant's locations." errors={errors.name}>
        <Input name="name" autoComplete="off" required defaultValue={defaults?.name} />
      </Field>
      <Field id={`${idPrefix}-address`} label="Address" hint="Optional. Several lines are fine." errors={errors.address}>
        <textarea name="address" rows={3} className={cn(controlClass, "resize-y")} defaultValue={defaults?.address ?? ""} />
      </Field>
      <Field
        id={`${idPrefix}-time-zone`}
        label="Time zone"
        hint={defaults ? "Where the shop is: its local times are shown in this zone." : "Where the shop is. Starts on this browser's own time zone (or UTC); type a city's first letters to jump to it."}
        errors={errors.timeZone}
      >
        <Select name="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required>
          {groups.map((g) => (
            <optgroup key={g.region} label={g.region}>
              {g.zones.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll("_", " ")}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </Field>
    </>
  );
}
