/**
 * The demo's customer flows in firefox (engines/flows.ts, the same flows in all three engines):
 * paying, a decline, split fields, direct mode, the keyboard alone across the frames, autofill
 * tokens, the formatted number and its caret; no card number at the merchant and no CSP
 * violation, checked on the demo servers' own records.
 */
import { defineDemoFlows } from './engines/flows';

defineDemoFlows('firefox');
