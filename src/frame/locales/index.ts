/**
 * Every locale's strings, by code (src/locale-codes.ts). The frame build swaps this module for one
 * that holds a single locale (rollup.config.mjs, `frameLocale`), so each shipped frame carries
 * its own language only; tests and typechecks see them all.
 */
import type { LocaleCode } from '../../types';
import ar from './ar';
import cs from './cs';
import da from './da';
import de from './de';
import el from './el';
import en from './en';
import es from './es';
import fi from './fi';
import fr from './fr';
import he from './he';
import it from './it';
import ja from './ja';
import ko from './ko';
import nb from './nb';
import nl from './nl';
import pl from './pl';
import pt from './pt';
import ru from './ru';
import sv from './sv';
import tr from './tr';
import zhHans from './zh-Hans';
import zhHant from './zh-Hant';

// Complete here (the type checks that no locale is missing); a shipped frame's copy holds one.
const TEXT: Record<LocaleCode, string> = { ar, cs, da, de, el, en, es, fi, fr, he, it, ja, ko, nb, nl, pl, pt, ru, sv, tr, 'zh-Hans': zhHans, 'zh-Hant': zhHant };
export default TEXT as Partial<Record<LocaleCode, string>>;
