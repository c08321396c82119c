import { clx } from "@medusajs/ui"
import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react"

/**
 * Medusa's Table as the settings sections use it, laid out with logical
 * sides: its own aligns headers `text-left` and pads `pl`/`pr`, so right to
 * left the headers sit over the wrong end of their columns and the last
 * column touches the card's edge. Same look, start and end instead.
 */
const Root = ({ className, ...props }: HTMLAttributes<HTMLTableElement>) => (
  <table className={clx("text-ui-fg-subtle txt-compact-small w-full", className)} {...props} />
)
const Header = ({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) => (
  <thead
    className={clx("border-ui-border-base txt-compact-small-plus [&_tr]:bg-ui-bg-subtle border-y", className)}
    {...props}
  />
)
const Body = ({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) => (
  <tbody className={clx("border-ui-border-base border-b", className)} {...props} />
)
const Row = ({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) => (
  <tr className={clx("bg-ui-bg-base border-ui-border-base border-b last:border-b-0", className)} {...props} />
)
const HeaderCell = ({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) => (
  <th className={clx("txt-compact-small-plus h-12 py-0 pe-6 text-start first:ps-6", className)} {...props} />
)
const Cell = ({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={clx("h-12 py-0 pe-6 text-start first:ps-6", className)} {...props} />
)

export const Table = Object.assign(Root, { Header, Body, Row, HeaderCell, Cell })
