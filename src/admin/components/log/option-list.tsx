import { CheckMini } from "@medusajs/icons"
import { clx, Text } from "@medusajs/ui"
import { useEffect, useRef } from "react"

export type Option = { value: string; label: string }

type Props = {
  id?: string
  /** Names the list, and the filter's popover around it (Medusa's has no name of its own). */
  label: string
  options: Option[]
  chosen: string[]
  /** What to say when there is nothing to choose from. */
  empty?: string
  onToggle: (option: Option) => void
}

/**
 * A list of options checked on and off, laid out as the dashboard's filter
 * lists, with one focusable element per option (no control inside another).
 */
export const OptionList = ({ id, label, options, chosen, empty, onToggle }: Props) => {
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const popover = list.current?.closest('[role="dialog"]')
    if (popover && !popover.hasAttribute("aria-labelledby") && popover.getAttribute("aria-label") !== label) {
      popover.setAttribute("aria-label", label)
    }
  }, [label])
  return (
    <div ref={list} id={id} role="listbox" aria-multiselectable="true" aria-label={label} className="max-h-[300px] overflow-auto p-1">
      {options.length === 0 && empty && (
        <Text size="small" className="text-ui-fg-muted py-6 text-center">
          {empty}
        </Text>
      )}
      {options.map((option) => {
        const selected = chosen.includes(option.value)
        return (
          <button
            key={option.value}
            type="button"
            role="option"
            aria-selected={selected}
            onClick={() => onToggle(option)}
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
  )
}

/** The next list of chosen values after one is toggled (undefined: none left). */
export function toggled(chosen: string[], value: string): string[] | undefined {
  const next = chosen.includes(value) ? chosen.filter((other) => other !== value) : [...chosen, value]
  return next.length ? next : undefined
}
