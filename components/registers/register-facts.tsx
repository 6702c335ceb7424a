import Link from "next/link";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { formatDateTime } from "@/lib/format";
import type { RegisterDetail } from "@/lib/registers/queries";

/** The register's page: what the register is (its ID for the POS, kind, location, parent). */
export function RegisterFacts({ register, link }: { register: RegisterDetail; link: (href: string) => string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Register</CardTitle>
      </CardHeader>
      <CardBody>
        <DescriptionList>
          <Description
            label="Register ID"
            className="sm:col-span-2"
            copy={register.registerId}
            copyLabel="register ID"
            testId="register-id"
            mono
            valueClassName="text-sm"
            hint="What the POS sends for this register."
          >
            {register.registerId}
          </Description>
          <Description label="Kind">{register.kind === "virtual" ? "Virtual register" : "Physical register"}</Description>
          <Description label="Location">
            <Link href={link(`/locations/${register.locationId}`)} className="font-medium text-brand-700 hover:underline">
              {register.locationName}
            </Link>{" "}
            <span className="text-slate-600">({register.locationTimeZone})</span>
          </Description>
          {register.kind === "virtual" && register.parentId !== null ? (
            <Description label="Physical register">
              <Link href={link(`/registers/${register.parentId}`)} className="font-medium text-brand-700 hover:underline" data-testid="parent-link">
                {register.parentName}
              </Link>
            </Description>
          ) : null}
          <Description label="External reference" testId="external-ref">
            {register.externalRef ?? "—"}
          </Description>
          <Description label="Created">{formatDateTime(register.createdAt)}</Description>
        </DescriptionList>
      </CardBody>
    </Card>
  );
}
