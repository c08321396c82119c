import { runSuites } from "../../helpers/suite"
import attribution from "./attribution.suite"
import cartRules from "./cart-rules.suite"
import completionTurns from "./completion-turns.suite"
import forgedAttribution from "./forged-attribution.suite"

/** Orders placed in a session: attribution, completions sent around each other, forged attribution, the rules on carts. One app for all. */
runSuites(
  { attribution, "completion-turns": completionTurns, "forged-attribution": forgedAttribution, "cart-rules": cartRules },
  { timeout: 180_000 }
)
