import { createPublishableKey, eventually, refused, registerCustomer } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, LOG } from "./integrity-helpers"

const ERASE = "/admin/login-as-customer/log/erase"

/** Erasure asked for an id that is no customer: refused; a deleted customer with lines stays erasable. */
export default function eraseUnknownSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = integrityFixtures(context)
  const { knex, write } = fx

  const lines = async () => (await knex().raw(`select count(*)::int as "n" from ${LOG}`)).rows[0].n as number
  const erasures = async (customerId: string) =>
    (await knex().raw(`select count(*)::int as "n" from ${LOG} where "action" = 'personal_data_erased' and "customer_id" = ?`, [customerId]))
      .rows[0].n as number

  it("answers 404 not_found to an id that is neither a customer nor in the log, and writes nothing", async () => {
    await write({ customer_id: "cus_in_log", customer_email: "inlog@example.com" })
    const before = await lines()
    const answer = await refused(api.post(ERASE, { customer_id: "cus_made_up_0000" }, fx.admin.headers))
    expect({ status: answer.status, type: answer.data.type }).toEqual({ status: 404, type: "not_found" })
    expect(answer.data.message).toMatch(/cus_made_up_0000/)
    expect(await lines()).toBe(before)
    expect(await erasures("cus_made_up_0000")).toBe(0)
  })

  it("still erases a customer with no lines yet, a customer deleted in Medusa whose lines remain, and an id only the log knows", async () => {
    const publishableKey = await createPublishableKey(getContainer())
    const fresh = await registerCustomer(api as never, publishableKey, "fresh@example.com")
    expect((await api.post(ERASE, { customer_id: fresh.id }, fx.admin.headers)).data).toMatchObject({ erased_lines: 0 })

    const gone = await registerCustomer(api as never, publishableKey, "gone@example.com")
    await write({ customer_id: gone.id, customer_email: gone.email })
    await api.delete(`/admin/customers/${gone.id}`, fx.admin.headers)
    expect(await eventually(async () => (await erasures(gone.id)) === 1)).toBe(true)
    // A line written about them after the deletion: erasable again.
    await write({ customer_id: gone.id, customer_email: gone.email })
    expect((await api.post(ERASE, { customer_id: gone.id }, fx.admin.headers)).data).toMatchObject({ erased_lines: 1 })
    expect(await erasures(gone.id)).toBe(2)

    await write({ customer_id: "cus_only_in_log", customer_email: "only@example.com" })
    expect((await api.post(ERASE, { customer_id: "cus_only_in_log" }, fx.admin.headers)).data).toMatchObject({ erased_lines: 1 })
  })
}
