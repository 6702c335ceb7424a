import { FilterBar } from "@/components/ui/filter-bar";
import { ENVIRONMENT_OPTIONS } from "@/lib/labels";
import { terminalList, type TerminalListParams } from "@/lib/lists/lists";

/** Search and filters of the terminal list. */
export function TerminalFilters({ params }: { params: TerminalListParams }) {
  const { q, environment, status } = terminalList.defaults;
  return (
    <FilterBar
      action={terminalList.pathname}
      label="Filter terminals"
      defaults={{ q, environment, status }}
      hidden={{
        ...(params.sort === terminalList.defaults.sort ? {} : { sort: params.sort }),
        // The switcher's merchant, for the form without JavaScript (nuqs keeps it otherwise).
        ...(params.merchant ? { merchant: String(params.merchant) } : {}),
      }}
      fields={[
        { kind: "search", id: "terminal-search", label: "Search", name: "q", placeholder: "Terminal ID or pairing name", maxLength: 100 },
        { kind: "select", id: "terminal-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
        {
          kind: "select",
          id: "terminal-status",
          label: "Status",
          name: "status",
          options: [
            { value: "all", label: "All statuses" },
            { value: "paired", label: "Paired" },
            { value: "unpaired", label: "Unpaired" },
            { value: "credentials_refused", label: "Credentials refused" },
          ],
        },
      ]}
    />
  );
}
