import { SectionSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <SectionSkeleton label="webhook deliveries" />;
}
