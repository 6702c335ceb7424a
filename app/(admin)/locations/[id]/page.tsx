import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddRegisterForm } from "@/components/locations/add-register-form";
import { ArchiveLocationDialog } from "@/components/locations/archive-location-dialog";
import { EditLocationDialog } from "@/components/locations/edit-location-dialog";
import { LocalTime } from "@/components/locations/local-time";
import { LocationRegisters } from "@/components/locations/location-registers";
import { RoutingDiagram } from "@/components/locations/routing-diagram";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryLocation } from "@/lib/registers/location-queries";
import { formatDateTime } from "@/lib/format";
import { loadMerchantView } from "@/lib/lists/lists";
import { withMerchant } from "@/lib/lists/merchant-links";
import { can } from "@/lib/auth/permissions";
import { timeZones } from "@/lib/registers/schemas";

export const metadata = { title: "Location" };

/** The time the page was read at (a server page renders once per request). */
function readClock(): number {
  return Date.now();
}

export default async function LocationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // No view: another merchant's location is not found (404), whatever the switcher says.
  const { user, ctx } = await pageAccess("registers:read");
  const { id } = await params;
  const query = await searchParams;
  const { parent } = query;
  const locationId = /^\d{1,12}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(locationId) || locationId <= 0) notFound();
  const location = await queryLocation(ctx, locationId);
  if (!location) notFound();
  const readAt = readClock();
  const staff = can(user.role, "merchants:read");
  // The switcher's choice does not scope this page (the location is found or not); staff keep it on links.
  const merchant = staff ? loadMerchantView(query).merchant : null;
  const archived = location.archivedAt !== null;
  const suspended = location.merchantStatus === "suspended";
  const mayManage = can(user.role, "registers:manage") && !archived && !suspended;
  const parentId = typeof parent === "string" && /^\d{1,12}$/.test(parent) ? Number(parent) : null;
  const physical = location.registers.filter((r) => r.kind === "physical").map((r) => ({ id: r.id, name: r.name }));

  return (
    <>
      <Link href={withMerchant("/locations", merchant)} className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Locations
      </Link>
      <PageHeader
        title={location.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {archived ? (
              <Badge tone="neutral" data-testid="location-archived">
                archived
              </Badge>
            ) : null}
            {staff ? (
              <span className="inline-flex flex-wrap items-center gap-1" data-testid="location-merchant">
                Merchant{" "}
                <Link href={`/locations?merchant=${location.merchantId}`} className="font-medium text-brand-700 hover:underline">
                  {location.merchantName}
                </Link>
                {suspended ? <Badge tone="warning">suspended</Badge> : null}
              </span>
            ) : null}
            <span>
              {location.registers.length} register{location.registers.length === 1 ? "" : "s"}
            </span>
          </span>
        }
        actions={
          mayManage ? (
            <>
              <EditLocationDialog
                location={{ id: location.id, name: location.name, address: location.address, timeZone: location.timeZone }}
                timeZones={timeZones()}
              />
              <ArchiveLocationDialog locationId={location.id} name={location.name} registers={location.registers.length} />
            </>
          ) : null
        }
      />
      {archived ? (
        <Alert tone="info" className="mb-6" data-testid="archived-notice">
          This location was archived on {formatDateTime(location.archivedAt)}. It is kept for the record and cannot change.
        </Alert>
      ) : suspended && can(user.role, "registers:manage") ? (
        <Alert tone="warning" className="mb-6" data-testid="suspended-notice">
          {location.merchantName} is suspended: its locations and registers cannot change until it is reactivated.
        </Alert>
      ) : null}
      <div className="space-y-6">
        <Card aria-labelledby="location-details">
          <CardHeader>
            <CardTitle id="location-details">Details</CardTitle>
          </CardHeader>
          <CardBody>
            <DescriptionList>
              <Description label="Address">
                {location.address ? (
                  <span className="whitespace-pre-line" data-testid="location-address">
                    {location.address}
                  </span>
                ) : (
                  <span className="text-slate-600">none given</span>
                )}
              </Description>
              <Description label="Time zone">
                <span data-testid="location-time-zone">{location.timeZone}</span>
                <span className="text-slate-600">
                  {" "}
                  · now <LocalTime timeZone={location.timeZone} now={readAt} />
                </span>
              </Description>
              {staff ? <Description label="Merchant">{location.merchantName}</Description> : null}
              <Description label="Created">{formatDateTime(location.createdAt)}</Description>
            </DescriptionList>
          </CardBody>
        </Card>

        <Card aria-labelledby="location-registers-title">
          <CardHeader>
            <CardTitle id="location-registers-title">Registers</CardTitle>
          </CardHeader>
          <CardBody>
            <LocationRegisters
              registers={location.registers}
              terminals={location.terminals}
              merchant={merchant}
              empty={
                mayManage ? (
                  <>
                    No registers yet.{" "}
                    <a href="#add-register" className="font-medium text-brand-700 underline underline-offset-4">
                      Add a register
                    </a>{" "}
                    for each till of this shop.
                  </>
                ) : (
                  "No registers yet."
                )
              }
            />
          </CardBody>
        </Card>

        {mayManage ? (
          <Card id="add-register" aria-labelledby="add-register-title" className="scroll-mt-20">
            <CardHeader>
              <CardTitle id="add-register-title">Add a register</CardTitle>
            </CardHeader>
            <CardBody>
              <AddRegisterForm locationId={location.id} physicalRegisters={physical} parent={parentId} />
            </CardBody>
          </Card>
        ) : null}

        <Card aria-labelledby="location-routing-title">
          <CardHeader>
            <CardTitle id="location-routing-title">Routing</CardTitle>
            <p className="mt-1 text-sm text-slate-600">
              Which terminal each register sends its payments to. A register is routed from its own page.
            </p>
          </CardHeader>
          <CardBody>
            {/* The diagram on a wide screen (with the same as a list for screen readers), the list on a phone. */}
            <RoutingDiagram
              registers={location.registers.map((r) => ({
                id: r.id,
                name: r.name,
                kind: r.kind,
                parentId: r.parentId,
                href: withMerchant(`/registers/${r.id}`, merchant),
              }))}
              terminals={location.terminals.map((t) => ({ ...t, href: withMerchant(`/terminals/${t.ref}`, merchant) }))}
              routes={location.registers.flatMap((r) => (r.terminalRef === null ? [] : [{ registerId: r.id, terminalRef: r.terminalRef }]))}
            />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
