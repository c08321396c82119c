// First: sets the log's signing key before the app boots.
import "./integrity-helpers"
import { runSuites } from "../../helpers/suite"
import anchor from "./anchor.suite"
import chain from "./chain.suite"
import chainEnd from "./chain-end.suite"
import coalesce from "./coalesce.suite"
import eraseUnknown from "./erase-unknown.suite"
import erasure from "./erasure.suite"
import erasureSigned from "./erasure-signed.suite"
import outsideChain from "./outside-chain.suite"
import quick from "./quick.suite"
import review from "./review.suite"
import sqlEdges from "./sql-edges.suite"
import freedSeqs from "./freed-seqs.suite"
import guards from "./guards.suite"
import sqlValues from "./sql-values.suite"
import tamper from "./tamper.suite"
import verifyInput from "./verify-input.suite"
import verifyCli from "./verify-cli.suite"
import verifyLocks from "./verify-locks.suite"

/** The log's integrity (seal, verify, retention, erasure), with a signing key set at boot. One app for all. */
runSuites({ chain, tamper, anchor, "outside chain": outsideChain, "chain end": chainEnd, "sql edges": sqlEdges, "freed seqs": freedSeqs, "sql values": sqlValues, quick, erasure, "erasure signed": erasureSigned, "erase unknown": eraseUnknown, coalesce, review, "verify input": verifyInput, "verify cli": verifyCli, "verify locks": verifyLocks, guards }, { timeout: 180_000 })
