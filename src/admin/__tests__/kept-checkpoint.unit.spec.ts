import en from "../i18n/en.json"
import { keptCheckpointJson, parseKeptCheckpoint, shortDigest } from "../lib/kept-checkpoint"
import { anchorOutcome, mismatchKindText, mismatchPlace } from "../lib/verification-text"

/** i18next's t over en.json, with its {{placeholders}}, enough for these texts. */
const t = ((key: string, values: Record<string, unknown> = {}) => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en)
  return typeof value === "string" ? value.replace(/\{\{(\w+)\}\}/g, (_, name) => String(values[name])) : key
}) as never

const DIGEST = "3f2a9c1e" + "0".repeat(48) + "7b04d5e6"

describe("A checkpoint kept outside the database", () => {
  it("is copied as the exact JSON the verify route takes as anchor, and read back the same", () => {
    const json = keptCheckpointJson({ seq: 12, digest: DIGEST })
    expect(json).toBe(`{"seq":12,"digest":"${DIGEST}"}`)
    expect(parseKeptCheckpoint(json)).toEqual({ checkpoint: { seq: 12, digest: DIGEST } })
    // Pasted with the spaces a note or an email adds, a seq as its digits, the digest in capitals.
    expect(parseKeptCheckpoint(`  { "seq": "12", "digest": "${DIGEST.toUpperCase()}" }\n`)).toEqual({
      checkpoint: { seq: 12, digest: DIGEST },
    })
  })

  it("names what is wrong with a pasted one: not the JSON, the seq, or the digest", () => {
    expect(parseKeptCheckpoint("")).toEqual({ problem: "format" })
    expect(parseKeptCheckpoint(`12 ${DIGEST}`)).toEqual({ problem: "format" })
    expect(parseKeptCheckpoint("[12]")).toEqual({ problem: "format" })
    expect(parseKeptCheckpoint(`{"digest":"${DIGEST}"}`)).toEqual({ problem: "format" })
    for (const seq of [0, -3, 1.5, "12a", null, 2 ** 60]) {
      expect(parseKeptCheckpoint(JSON.stringify({ seq, digest: DIGEST }))).toEqual({ problem: "seq" })
    }
    for (const digest of [DIGEST.slice(1), `${DIGEST}0`, DIGEST.replace("3", "g"), 12]) {
      expect(parseKeptCheckpoint(JSON.stringify({ seq: 12, digest }))).toEqual({ problem: "digest" })
    }
  })

  it("shows a digest by its start and its end", () => {
    expect(shortDigest(DIGEST)).toBe("3f2a9c1e…7b04d5e6")
  })
})

describe("What verification made of a kept checkpoint, in words", () => {
  it("says the log still holds it, or that retention removed it before it could be compared", () => {
    expect(anchorOutcome(t, { seq: 12, status: "matched" })).toEqual({
      text: "The log still holds checkpoint #12 you kept",
      tone: "ok",
    })
    expect(anchorOutcome(t, { seq: 3, status: "removed" })?.text).toBe(
      "Checkpoint #3 was removed by retention; it could not be compared"
    )
    // No checkpoint sent, or one the first mismatch already names.
    expect(anchorOutcome(t, null)).toBeNull()
    expect(anchorOutcome(t, { seq: 12, status: "mismatch" })).toBeNull()
  })

  it("words the two mismatches a kept checkpoint finds, beside their place", () => {
    const replaced = { kind: "anchor_mismatch", checkpoint: 12, line_id: null }
    expect(`${mismatchPlace(t, replaced)} · ${mismatchKindText(t, replaced.kind)}`).toBe(
      "Checkpoint 12 · The log holds another digest for the checkpoint given. If it is the one you kept, the log up to it was replaced."
    )
    expect(mismatchKindText(t, "anchor_missing")).toBe(
      "The log ends before the checkpoint given. If it is one you kept, checkpoints were removed or the log was replaced by a shorter one."
    )
    // Kinds without words keep their code alone.
    expect(mismatchKindText(t, "line_altered")).toBeNull()
  })
})
