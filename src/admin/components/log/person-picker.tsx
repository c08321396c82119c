import { CheckMini, MagnifyingGlass } from "@medusajs/icons"
import { clx, Text } from "@medusajs/ui"
import { useEffect, useId, useState } from "react"
import { useTranslation } from "react-i18next"
import { Person, usePeople } from "../../hooks/api/log"

/** How a picked admin or customer is named: "Jane Doe · jane@example.com". */
export function personLabel(person: Person): string {
  const name = [person.first_name, person.last_name].filter(Boolean).join(" ") || person.company_name || ""
  return name && person.email ? `${name} · ${person.email}` : name || person.email || person.id
}

type Props = {
  kind: "user" | "customer"
  /** The chosen ids. */
  value: string[] | undefined
  /** Names of ids chosen before (the search may no longer show them). */
  labels: Record<string, string>
  onChange: (ids: string[] | undefined, named: Record<string, string>) => void
}

/**
 * A log filter's value: admins or customers found by name or email (Medusa's
 * own `/admin/users?q=` and `/admin/customers?q=`), several at once. Laid out
 * as the dashboard's multiselect filter: a search field over a checked list.
 */
export const PersonPicker = ({ kind, value, labels, onChange }: Props) => {
  const { t } = useTranslation()
  const listId = useId()
  const [text, setText] = useState("")
  const [q, setQ] = useState("")
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250)
    return () => clearTimeout(timer)
  }, [text])
  const people = usePeople(kind, q)
  const chosen = value ?? []
  const options = [
    ...chosen.map((id) => ({ id, label: labels[id] ?? id })),
    ...(people.data ?? []).filter((person) => !chosen.includes(person.id)).map((person) => ({ id: person.id, label: personLabel(person) })),
  ]

  const toggle = (id: string, label: string) => {
    const next = chosen.includes(id) ? chosen.filter((other) => other !== id) : [...chosen, id]
    onChange(next.length ? next : undefined, { [id]: label })
  }

  return (
    <div className="w-[320px]" data-testid={`lac-picker-${kind}`}>
      <div className="flex items-center gap-x-2 border-b px-3 py-1.5">
        <MagnifyingGlass className="text-ui-fg-muted shrink-0" />
        <input
          autoFocus
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={t("loginAsCustomer.log.searchPeople")}
          aria-label={t("loginAsCustomer.log.searchPeople")}
          aria-controls={listId}
          className="txt-compact-small placeholder:text-ui-fg-muted h-8 flex-1 bg-transparent outline-none"
        />
      </div>
      <div id={listId} role="listbox" aria-multiselectable="true" className="max-h-[300px] overflow-auto p-1">
        {options.length === 0 && (
          <Text size="small" className="text-ui-fg-muted py-6 text-center">
            {people.isFetching ? t("loginAsCustomer.log.loading") : t("loginAsCustomer.log.noResults")}
          </Text>
        )}
        {options.map((option) => {
          const selected = chosen.includes(option.id)
          return (
            <button
              key={option.id}
              type="button"
              role="option"
              aria-selected={selected}
              onClick={() => toggle(option.id, option.label)}
              className={clx(
                "txt-compact-small flex w-full items-center gap-x-2 rounded-md px-2 py-1.5 text-start outline-none",
                "hover:bg-ui-bg-base-hover focus-visible:bg-ui-bg-base-hover focus-visible:shadow-borders-focus"
              )}
            >
              <span className="flex size-[15px] shrink-0 items-center justify-center">{selected && <CheckMini />}</span>
              <span className="truncate">{option.label}</span>
            </button>
          )
        })}
      </div>
    </div>
  )
}
