// One file per language the Medusa dashboard ships (its src/i18n/translations),
// under the same codes: the dashboard merges these into its own resources, so
// the plugin speaks whatever language the admin chose. Right-to-left languages
// (ar, fa, he) need nothing more: the dashboard sets the page direction.
import ar from "./ar.json"
import bg from "./bg.json"
import bs from "./bs.json"
import cs from "./cs.json"
import de from "./de.json"
import el from "./el.json"
import en from "./en.json"
import enGB from "./enGB.json"
import es from "./es.json"
import fa from "./fa.json"
import fi from "./fi.json"
import fr from "./fr.json"
import he from "./he.json"
import hr from "./hr.json"
import hu from "./hu.json"
import id from "./id.json"
import it from "./it.json"
import ja from "./ja.json"
import ko from "./ko.json"
import lt from "./lt.json"
import mk from "./mk.json"
import mn from "./mn.json"
import nl from "./nl.json"
import pl from "./pl.json"
import ptBR from "./ptBR.json"
import ptPT from "./ptPT.json"
import ro from "./ro.json"
import ru from "./ru.json"
import sv from "./sv.json"
import th from "./th.json"
import tr from "./tr.json"
import uk from "./uk.json"
import vi from "./vi.json"
import zhCN from "./zhCN.json"
import zhTW from "./zhTW.json"

/** The plugin's admin strings, merged into the dashboard's i18n resources. */
export default {
  ar: { translation: ar },
  bg: { translation: bg },
  bs: { translation: bs },
  cs: { translation: cs },
  de: { translation: de },
  el: { translation: el },
  en: { translation: en },
  enGB: { translation: enGB },
  es: { translation: es },
  fa: { translation: fa },
  fi: { translation: fi },
  fr: { translation: fr },
  he: { translation: he },
  hr: { translation: hr },
  hu: { translation: hu },
  id: { translation: id },
  it: { translation: it },
  ja: { translation: ja },
  ko: { translation: ko },
  lt: { translation: lt },
  mk: { translation: mk },
  mn: { translation: mn },
  nl: { translation: nl },
  pl: { translation: pl },
  ptBR: { translation: ptBR },
  ptPT: { translation: ptPT },
  ro: { translation: ro },
  ru: { translation: ru },
  sv: { translation: sv },
  th: { translation: th },
  tr: { translation: tr },
  uk: { translation: uk },
  vi: { translation: vi },
  zhCN: { translation: zhCN },
  zhTW: { translation: zhTW },
}
