import { Plus } from "lucide-react";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import type { RegisterDetail } from "@/lib/registers/queries";
import { RouteLine } from "./route-line";

/** A physical register's page: its virtual registers and where each routes. */
export function VirtualRegisters({ register, link, mayAdd }: { register: RegisterDetail; link: (href: string) => string; mayAdd: boolean }) {
  return (
    <Card aria-labelledby="virtual-registers-title">
      <CardHeader className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle id="virtual-registers-title">Virtual registers</CardTitle>
        {mayAdd ? (
          <Link
            href={link(`/locations/${register.locationId}?parent=${register.id}#add-register`)}
            className={buttonVariants({ variant: "secondary", size: "sm" })}
            data-testid="add-virtual-register"
          >
            <Plus aria-hidden />
            Add a virtual register
          </Link>
        ) : null}
      </CardHeader>
      <CardBody>
        {register.children.length === 0 ? (
          <p className="text-sm text-slate-600">
            None. A virtual register lets this register&apos;s POS reach another terminal, with its own register ID.
          </p>
        ) : (
          <ul aria-label={`Virtual registers of ${register.name}`} className="divide-y divide-slate-100 text-sm" data-testid="virtual-registers">
            {register.children.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="virtual-register">
                <Link href={link(`/registers/${c.id}`)} className="font-medium text-brand-700 hover:underline">
                  {c.name}
                </Link>
                <span className="inline-flex flex-wrap items-center gap-2">
                  <span className="text-xs text-slate-600">Routes to</span>
                  <RouteLine route={c.route} link={link} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
