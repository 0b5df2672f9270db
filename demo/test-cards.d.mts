/** Types of demo/test-cards.mjs. */
export interface TestCard {
  number: string;
  brand: string;
  outcome: 'approved' | 'declined';
  code?: string;
  note: string;
}
export declare const TEST_CARDS: readonly TestCard[];
export declare const DECLINE_CARDS: readonly TestCard[];
export declare function formatTestCard(number: string): string;
