import { MagnifyingGlass } from "@medusajs/icons"
import { useEffect, useId, useState } from "react"
import { useTranslation } from "react-i18next"
import { Person, usePeople } from "../../hooks/api/log"
import { OptionList, toggled } from "./option-list"

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
    ...chosen.map((id) => ({ value: id, label: labels[id] ?? id })),
    ...(people.data ?? [])
      .filter((person) => !chosen.includes(person.id))
      .map((person) => ({ value: person.id, label: personLabel(person) })),
  ]

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
      <OptionList
        id={listId}
        label={t(kind === "user" ? "loginAsCustomer.log.admin" : "loginAsCustomer.log.customer")}
        options={options}
        chosen={chosen}
        empty={people.isFetching ? t("loginAsCustomer.log.loading") : t("loginAsCustomer.log.noResults")}
        onToggle={(option) => onChange(toggled(chosen, option.value), { [option.value]: option.label })}
      />
    </div>
  )
}
