import en from "./en.json"
import es from "./es.json"

/** The plugin's admin strings, merged into the dashboard's i18n resources. */
export default {
  en: { translation: en },
  es: { translation: es },
}
