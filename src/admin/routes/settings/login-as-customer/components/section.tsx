import { PencilSquare } from "@medusajs/icons"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { useTranslation } from "react-i18next"
import { Table } from "./table"

/** A read-only settings section with its Edit button, as Medusa's own settings pages have. */
export const Section = ({
  id,
  title,
  description,
  onEdit,
  children,
}: {
  id: string
  title: string
  description?: string
  /** Absent when the section can't be edited (e.g. roles decide). */
  onEdit?: () => void
  children: ReactNode
}) => {
  const { t } = useTranslation()
  return (
    <Container className="divide-y p-0" data-testid={`lac-section-${id}`}>
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading level="h2">{title}</Heading>
          {description && (
            <Text size="small" className="text-ui-fg-subtle">
              {description}
            </Text>
          )}
        </div>
        {onEdit && (
          <Button
            size="small"
            variant="secondary"
            onClick={onEdit}
            // Keeps its size beside a long title on a phone.
            className="shrink-0"
            data-testid={`lac-edit-${id}`}
            aria-label={t("loginAsCustomer.settings.editSection", { section: title })}
          >
            <PencilSquare />
            {t("loginAsCustomer.settings.edit")}
          </Button>
        )}
      </div>
      {children}
    </Container>
  )
}

/** One label → value line of a section. */
export const Row = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="text-ui-fg-subtle grid grid-cols-2 items-center gap-x-4 px-6 py-4" data-testid={testId}>
    <Text size="small" leading="compact" weight="plus">
      {label}
    </Text>
    <div className="text-ui-fg-base min-w-0 break-words">
      {typeof children === "string" ? (
        <Text size="small" leading="compact">
          {children}
        </Text>
      ) : (
        children
      )}
    </div>
  </div>
)

/** A quiet line of a section: an empty state or a note. */
export const Note = ({ children }: { children: ReactNode }) => (
  <div className="px-6 py-4">
    <Text size="small" className="text-ui-fg-subtle">
      {children}
    </Text>
  </div>
)

/** A section's table: its header row, then the rows given, scrolling sideways when narrow. */
export const SectionTable = ({
  headers,
  children,
  testId,
}: {
  headers: string[]
  children: ReactNode
  testId?: string
}) => (
  <div className="overflow-x-auto">
    <Table data-testid={testId}>
      <Table.Header>
        <Table.Row>
          {headers.map((header) => (
            <Table.HeaderCell key={header}>{header}</Table.HeaderCell>
          ))}
        </Table.Row>
      </Table.Header>
      <Table.Body>{children}</Table.Body>
    </Table>
  </div>
)
